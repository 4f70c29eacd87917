"""Makes parity.json: Hugging Face `tokenizers` ids for the parity tests of the Swift tokenizer.

  python3 Tests/Fixtures/Vocab/make_goldens.py [../shared]      (from the package root)

Reference: Tokenizer.from_file(all-MiniLM-L6-v2/tokenizer.json) with padding and truncation switched off
(BertNormalizer lowercase + strip accents + CJK spacing, BertPreTokenizer, WordPiece, [CLS] A [SEP] (B [SEP])).
Contents:
  datasets : for every query/passage set of texts.py, the number of texts and ids and an FNV-1a-64 digest of all
             ids (each id as 4 little-endian bytes, each text followed by FF FF FF FF), [CLS]/[SEP] included;
  samples  : explicit ids for a few hundred texts, the hardest first (non-ASCII, long words, control characters),
             plus hand-made edge cases;
  pairs    : query/passage pairs encoded with longest_first truncation at several maximum lengths.
A text taken from ../shared/data is never written out (the data may not be redistributed): it is stored as a
reference {"dataset": NAME, "index": I}, the I-th text (0-based) of data set NAME as texts.py (and
Tests/VocabTests/SharedTexts.swift) read it; every such text is a whole record. Only the hand-made edge cases are
literal strings.
"""
import json, os, random, sys, hashlib
from tokenizers import Tokenizer, __version__
from tokenizers.pre_tokenizers import BertPreTokenizer
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import texts as T

shared = sys.argv[1] if len(sys.argv) > 1 else "../shared"
model = f"{shared}/models/all-MiniLM-L6-v2"
tok = Tokenizer.from_file(f"{model}/tokenizer.json")
tok.no_padding(); tok.no_truncation()

def fnv(id_lists):
    h = 0xcbf29ce484222325
    for ids in id_lists:
        for i in list(ids) + [0xFFFFFFFF]:
            for b in int(i).to_bytes(4, "little"):
                h = ((h ^ b) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return f"{h:016x}"

out = {"tokenizers": __version__,
       "vocab_sha256": hashlib.sha256(open(f"{model}/vocab.txt", "rb").read()).hexdigest(),
       "datasets": [], "samples": [], "pairs": []}
all_texts = []
ref_of = {}  # text -> {"dataset", "index"} of its first occurrence
for name, ts in T.datasets(f"{shared}/data"):
    for i, t in enumerate(ts):
        ref_of.setdefault(t, {"dataset": name, "index": i})
    encs = tok.encode_batch(ts)
    ids = [e.ids for e in encs]
    out["datasets"].append({"name": name, "texts": len(ts), "ids": sum(map(len, ids)), "fnv1a64": fnv(ids)})
    all_texts += [(name, t) for t in ts]

pre = BertPreTokenizer()
chosen, seen_chars = [], set()
def add(t):
    if t not in chosen:
        chosen.append(t)
# 1. non-ASCII texts, shortest first, each bringing a character not yet covered
for name, t in sorted(all_texts, key=lambda x: len(x[1])):
    new = {c for c in t if ord(c) > 127} - seen_chars
    if new and len(t) < 700 and len(chosen) < 170:
        seen_chars |= new; add(t)
# 2. long words (> 100 characters after pre-tokenisation) and control characters
long_words = [t for _, t in all_texts if len(t) < 3000 and any(len(w) > 60 for w, _ in pre.pre_tokenize_str(t))]
for t in sorted(long_words, key=len)[:15]:
    add(t)
ctrl = [t for _, t in all_texts if any(ord(c) < 32 and c not in "\n\t\r" or 0x7f <= ord(c) < 0xa0 for c in t)]
for t in sorted(ctrl, key=len)[:10]:
    add(t)
# 3. a seeded random sample
rng = random.Random(3)
for _, t in rng.sample([x for x in all_texts if len(x[1]) < 500], 60):
    add(t)
# 4. hand-made edge cases
hand = set()  # texts written literally, even where a data set happens to hold the same string
for t in ["", " ", "Hello, World!", "héllo wörld ÀÉÎÕÜ çñ", "naïve café résumé", "Straße İstanbul ΟΔΟΣ ǅ ﬁ Ⅳ",
          "北京大学 東京 中文字符 한국어 日本語のテキスト", "emoji 😀🫠👍🏽 👨‍👩‍👧 ❤️", "tab\there\nnew\rline\u00a0nbsp\u2003em",
          "ctrl\u0000\u0001\u0007\u001f\u007f\u0085\u200b\u200d\ufeff\ufffd end", "a" * 100, "a" * 101, "x" + "é" * 100,
          "supercalifragilisticexpialidocious antidisestablishmentarianism", "e\u0301 a\u0308\u0301 o\u0327",
          "$100.00 (approx.) — “quotes” ‘single’ «guillemets» …ellipsis… ¿qué? ¡sí!", "a-b_c/d\\e|f~g`h^i@j#k",
          "[CLS] [SEP] [UNK] [PAD] [MASK] ##ing", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𝟙𝟚𝟛 ℌ𝔢𝔩𝔩𝔬", "Ꭰ Ꮳ Ꮿ ᏸ ꭰ", "ΑΒΓ αβγ Ωμέγα", "Привет мир Ёё",
          "مرحبا بالعالم", "שלום עולם", "नमस्ते दुनिया", "สวัสดีชาวโลก", "\U0002F800 \uF900 \u3400 \U00020000",
          "x²³ ½ ¼ ℃ № ™ ㎏", "ﾃｽﾄ ＡＢＣ １２３ ！？", "don't won't it's rock'n'roll", "U.S.A. e.g. i.e. Ph.D.",
          "1,000,000 3.14159 -42 +7 1e-9", "http://example.com/path?q=1&r=2#frag", "user@example.com",
          "word" + "\u0301" * 20, "Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǧ̗͚̚o̙̔ͮ̇͐̇", "\u1e9e \u00df \u0130 \u0131 \u03a3 \u03c2", "\U0001d165 \u0f71\u0f72",
          "‐‑‒–—―", "pre\u00adfix soft hyphen", "\u2028line\u2029para", "a\u3000b", "end with space ",
          " ".join(["tok"] * 300)]:
    add(t); hand.add(t)
def stored(t):
    """A data text as its reference, a hand-made one as itself."""
    return None if t is None else t if t in hand else ref_of[t]
for t in chosen:
    out["samples"].append({"text": stored(t), "ids": tok.encode(t).ids})

# pairs with truncation
qs = [t for n, t in all_texts if n.endswith("queries")]
ps = [t for n, t in all_texts if n in ("dl19-passages", "scifact-corpus") and len(t) < 1200]
rng = random.Random(5)
pairs = [(rng.choice(qs), rng.choice(ps)) for _ in range(40)] + [(rng.choice(ps), rng.choice(qs)) for _ in range(10)]
pairs += [("", ""), ("a", ""), ("", "b"), ("short query", "a b c d e f g h i j k l m n o p q r s t u v w x y z")]
hand |= {"", "a", "b", "short query", "a b c d e f g h i j k l m n o p q r s t u v w x y z"}
# each case: max_length (0 = none), ids, and the number of leading type-0 ids (the rest are type 1)
def cases(a, b):
    cs = []
    for m in (5, 8, 16, 33, 64, 128, 0):
        if m: tok.enable_truncation(max_length=m, strategy="longest_first")
        else: tok.no_truncation()
        e = tok.encode(a, b) if b is not None else tok.encode(a)
        assert e.type_ids == sorted(e.type_ids)
        cs.append({"max_length": m, "ids": e.ids, "type0": e.type_ids.count(0)})
    tok.no_truncation()
    return cs
for a, b in pairs:
    out["pairs"].append({"a": stored(a), "b": stored(b), "cases": cases(a, b)})
for t in chosen[:12] + chosen[-12:]:
    out["pairs"].append({"a": stored(t), "b": None, "cases": cases(t, None)})

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "parity.json")
with open(path, "w", encoding="utf-8") as f:
    json.dump(out, f, ensure_ascii=False, separators=(",", ":"))
print(f"wrote {path}: {len(out['samples'])} samples, {len(out['pairs'])} pairs")
for d in out["datasets"]:
    print(d)
