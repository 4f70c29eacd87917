# PyTorch reference check of the default-scale T1 recipe (Docs/MarginMSE.md, "An independent check of the teacher").
# Not a test fixture read by Swift: an experiment script kept beside the goldens, run once by hand:
#     python3 Tests/Fixtures/MarginMSE/t1_pytorch_reference.py STEPS LR [NEGATIVES_PER_POSITIVE] [EVAL_STEPS]
#     e.g. python3 Tests/Fixtures/MarginMSE/t1_pytorch_reference.py 80 3e-5 2      (2026-12-03: ~11 min on 2 cores)
# It mirrors `reproduce train --arch bert-cat --loss ranknet --layers 0,1,2,3,4,5`: BERT_CAT on all-MiniLM-L6-v2
# ([CLS] q [SEP] p [SEP], token types 0/1, q <= 30 and p <= 200 word pieces, CLS -> Linear(384, 1)), RankNet on
# TREC DL 2020 triples (p+ judged >= 2, p- from the BM25 top-100 judged <= 0 or unjudged, 6 queries held out; its own
# sampling seed, so not the same triples), AdamW (no weight decay), 10 % linear warm-up then linear decay, batch 32.
# Prints validation nDCG@10 on the held-out DL20 queries and DL19 nDCG@10 of re-ranking the BM25 top-100
# (pytrec_eval). Needs torch, transformers, pytrec_eval and ../shared (data and model).
import sys, random, math, time, torch, pytrec_eval
from transformers import AutoTokenizer, AutoModel
torch.set_num_threads(2); torch.manual_seed(1); random.seed(1)
import os
ROOT=os.path.join(os.path.dirname(os.path.abspath(__file__)),'..','..','..','..','shared')
D=os.path.join(ROOT,'data','msmarco-passage-trec-dl'); M=os.path.join(ROOT,'models','all-MiniLM-L6-v2')
steps=int(sys.argv[1]); lr=float(sys.argv[2]); npp=int(sys.argv[3]) if len(sys.argv)>3 else 2
evals=[int(x) for x in sys.argv[4].split(',')] if len(sys.argv)>4 else [steps]
def load(split):
    q=dict(l.rstrip('\n').split('\t',1) for l in open(f'{D}/{split}/queries.tsv'))
    c=dict(l.rstrip('\n').split('\t',1) for l in open(f'{D}/{split}/collection.tsv'))
    qr={}
    for l in open(f'{D}/{split}/qrels.txt'):
        a,_,p,g=l.split(); qr.setdefault(a,{})[p]=int(g)
    run={}
    for l in open(f'{D}/{split}/run.bm25.top100.trec'):
        a,_,p,r,s,_=l.split(); run.setdefault(a,[]).append((int(r),p))
    run={k:[p for _,p in sorted(v)] for k,v in run.items()}
    return q,c,qr,run
q20,c20,qr20,run20=load('dl20'); q19,c19,qr19,run19=load('dl19')
usable=[]
for qid in sorted(qr20):
    if qid not in run20: continue
    j=qr20[qid]; pos=sorted(p for p,g in j.items() if g>=2 and p in c20)
    neg=[p for p in run20[qid][:100] if j.get(p,0)<=0]
    if pos and neg: usable.append((qid,pos,neg))
random.shuffle(usable); val=usable[:6]; train=usable[6:]
trip=[]
for qid,pos,neg in train:
    for p in pos:
        n=neg[:]; random.shuffle(n)
        for x in n[:npp]: trip.append((qid,p,x))
random.shuffle(trip); print('triples',len(trip),flush=True)
tok=AutoTokenizer.from_pretrained(M); enc=AutoModel.from_pretrained(M); head=torch.nn.Linear(384,1)
torch.nn.init.normal_(head.weight,std=0.02); torch.nn.init.zeros_(head.bias)
def batch(qs,ps):
    qi=[tok(x,add_special_tokens=False)['input_ids'][:30] for x in qs]
    pi=[tok(x,add_special_tokens=False)['input_ids'][:200] for x in ps]
    seqs=[[101]+a+[102]+b+[102] for a,b in zip(qi,pi)]; tt=[[0]*(len(a)+2)+[1]*(len(b)+1) for a,b in zip(qi,pi)]
    L=max(map(len,seqs)); ids=torch.zeros(len(seqs),L,dtype=torch.long); t=torch.zeros_like(ids); m=torch.zeros_like(ids)
    for i,(s,y) in enumerate(zip(seqs,tt)): ids[i,:len(s)]=torch.tensor(s); t[i,:len(s)]=torch.tensor(y); m[i,:len(s)]=1
    return ids,t,m
def score(qs,ps):
    ids,t,m=batch(qs,ps); h=enc(input_ids=ids,token_type_ids=t,attention_mask=m).last_hidden_state[:,0]
    return head(h).squeeze(-1)
params=list(enc.parameters())+list(head.parameters())
opt=torch.optim.AdamW(params,lr=lr,weight_decay=0.0)
warm=max(1,steps//10)
sched=torch.optim.lr_scheduler.LambdaLR(opt,lambda s: (s+1)/warm if s<warm else max(0.0,(steps-s)/(steps-warm)))
def evaluate(q,c,qr,run,qids):
    enc.eval(); res={}
    with torch.no_grad():
        for qid in qids:
            ps=run[qid][:100]; s=[]
            for i in range(0,len(ps),50): s+=score([q[qid]]*len(ps[i:i+50]),[c[p] for p in ps[i:i+50]]).tolist()
            res[qid]={p:float(x) for p,x in zip(ps,s)}
    enc.train()
    ev=pytrec_eval.RelevanceEvaluator({k:qr[k] for k in qids},{'ndcg_cut.10'})
    r=ev.evaluate(res); return sum(v['ndcg_cut_10'] for v in r.values())/len(r)
enc.train(); t0=time.time(); pos=0
for s in range(steps):
    b=[trip[(pos+i)%len(trip)] for i in range(32)]; pos+=32
    sp=score([q20[x[0]] for x in b],[c20[x[1]] for x in b]); sn=score([q20[x[0]] for x in b],[c20[x[2]] for x in b])
    loss=torch.nn.functional.softplus(sn-sp).mean()
    opt.zero_grad(); loss.backward(); opt.step(); sched.step()
    if (s+1)%10==0: print(f'step {s+1} loss {loss.item():.4f} {time.time()-t0:.0f}s',flush=True)
    if (s+1) in evals:
        v=evaluate(q20,c20,qr20,run20,[u[0] for u in val])
        d=evaluate(q19,c19,qr19,run19,sorted(k for k in qr19 if k in run19))
        print(f'EVAL step {s+1} val(DL20 held-out) {v:.4f} DL19 {d:.4f} {time.time()-t0:.0f}s',flush=True)
