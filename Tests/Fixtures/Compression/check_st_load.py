# Loads a student folder written by `reproduce distill --out DIR` (DistilledStudent.save) with sentence-transformers
# and prints its embeddings of the texts on stdin, one tab-separated line each — the same layout as
# `reproduce encode --model DIR`, so the two can be compared. Usage:
#   python3 check_st_load.py DIR < texts.txt > st.tsv
#   swift run -c release reproduce encode --model DIR < texts.txt > swift.tsv
#   python3 check_st_load.py --compare st.tsv swift.tsv
import sys


def compare(a_path, b_path):
    import numpy as np
    a = np.loadtxt(a_path, delimiter="\t", ndmin=2)
    b = np.loadtxt(b_path, delimiter="\t", ndmin=2)
    assert a.shape == b.shape, (a.shape, b.shape)
    print(f"rows {a.shape[0]} dim {a.shape[1]} max |diff| {np.abs(a - b).max():.3e}")


def main():
    if sys.argv[1] == "--compare":
        return compare(sys.argv[2], sys.argv[3])
    from sentence_transformers import SentenceTransformer
    model = SentenceTransformer(sys.argv[1], device="cpu")
    print(f"# {model}", file=sys.stderr)
    texts = [line.rstrip("\n") for line in sys.stdin]
    for row in model.encode(texts, batch_size=32, convert_to_numpy=True):
        print("\t".join(repr(float(x)) for x in row))


if __name__ == "__main__":
    main()
