"""Before/after of the generator on the pinned document: two release binaries, each run in its
own checkout (the old one at the commit before a change, the new one here), alternated, whole
process, wall and CPU time. Used for bench/history.md's measured changes:

    git worktree add ../wt-old <commit> && cp spec/authlete-openapi.yaml ../wt-old/spec/
    (cd ../wt-old && CARGO_TARGET_DIR=$PWD/../main/target/old-bin cargo build --release -p authlete-codegen)
    cargo build --release -p authlete-codegen && python3 bench/compare_generators.py
"""
import subprocess, time, statistics, os, resource, shutil
here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
old_tree = os.environ.get("OLD_TREE", os.path.join(os.path.dirname(here), "wt-old"))
old = os.path.join(here, "target/old-bin/release/authlete-codegen")
new = os.path.join(here, "target/release/authlete-codegen")
def run(binary, args, cwd):
    r0=resource.getrusage(resource.RUSAGE_CHILDREN)
    t=time.perf_counter()
    subprocess.run([binary]+args, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    w=time.perf_counter()-t
    r1=resource.getrusage(resource.RUSAGE_CHILDREN)
    return w, (r1.ru_utime-r0.ru_utime)+(r1.ru_stime-r0.ru_stime)
res={}
for b,name,cwd in [(old,"old",old_tree),(new,"new",here)]:
    # warm up: make each tree's generated up to date for its own generator
    subprocess.run([b,"generate","--out","/tmp/gen-"+name], cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
for i in range(15):
    for b,name,cwd in [(old,"old",old_tree),(new,"new",here)]:
        for cmd,args in [("check",["check","--out","/tmp/gen-"+name]),("generate-existing",["generate","--out","/tmp/gen-"+name])]:
            res.setdefault((name,cmd),[]).append(run(b,args,cwd))
        shutil.rmtree("/tmp/empty-"+name, ignore_errors=True)
        res.setdefault((name,"generate-empty"),[]).append(run(b,["generate","--out","/tmp/empty-"+name],cwd))
for k,v in sorted(res.items()):
    w=[x[0] for x in v]; c=[x[1] for x in v]
    print(f"{k[0]:4} {k[1]:18} wall median {statistics.median(w)*1000:6.1f} ms (min {min(w)*1000:6.1f}, max {max(w)*1000:6.1f})  cpu median {statistics.median(c)*1000:6.1f} ms")
