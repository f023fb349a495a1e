# Regenerates the tables of recorder/src/compat.rs from the sysstat git mirror:
# for each release tag, every activity's magic, types_nr and size (sizes by compiling
# the tagged headers with gcc). Usage: python3 compat_table.py v11.7.1 ... v12.7.9
import subprocess, re, sys, os, json
REPO="/work/.mirror/sysstat+sysstat/repo"
def show(tag, path):
    r = subprocess.run(["git","-C",REPO,"show",f"{tag}:{path}"],capture_output=True,text=True)
    return r.stdout if r.returncode==0 else None
def gen(tag):
    act = show(tag,"activity.c")
    blocks = re.findall(r"struct activity (\w+) = \{(.*?)\n\};", act, re.S)
    acts=[]
    for name,body in blocks:
        def f(k):
            m = re.search(r"\."+k+r"\s*=\s*([^,\n]+(?:\{[^}]*\})?)", body)
            return m.group(1).strip() if m else None
        idm = re.search(r"\.id\s*=\s*(\w+)", body).group(1)
        mm = re.search(r"\.magic\s*=\s*ACTIVITY_MAGIC_BASE(?:\s*\+\s*(\d+))?", body); magic = mm.group(1) or 0
        g = re.search(r"\.gtypes_nr\s*=\s*\{([^}]*)\}", body).group(1).split(",")
        fs = re.search(r"\.fsize\s*=\s*(\w+)", body).group(1)
        acts.append((idm,int(magic),[x.strip() for x in g],fs))
    d=f"/tmp/compatgen/{tag}"; os.makedirs(d,exist_ok=True)
    for h in ["rd_stats.h","rd_sensors.h","common.h","systest.h"]:
        s=show(tag,h)
        if s is not None: open(f"{d}/{h}","w").write(s)
    open(f"{d}/config.h","w").write("")
    open(f"{d}/sysconfig.h","w").write("")
    c='#include <stdio.h>\n#include "config.h"\n#include "common.h"\n#include "rd_stats.h"\n#include "rd_sensors.h"\nint main(){\n'
    for idm,mg,g,fs in acts:
        c+=f'printf("{idm} {mg} %d %d %d %d\\n",(int)({g[0]}),(int)({g[1]}),(int)({g[2]}),(int)({fs}));\n'
    c+="return 0;}\n"
    open(f"{d}/m.c","w").write(c)
    r=subprocess.run(["gcc","-I",d,"-o",f"{d}/m",f"{d}/m.c"],capture_output=True,text=True)
    if r.returncode: print(tag, r.stderr[:2000], file=sys.stderr); return None
    return subprocess.run([f"{d}/m"],capture_output=True,text=True).stdout
for tag in sys.argv[1:]:
    out=gen(tag)
    print("==",tag); print(out,end="")
