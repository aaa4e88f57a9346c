# One /proc snapshot of the CPU ticks (utime + stime) of both platforms of side-by-side/run.sh, per process:
# "A:<name>" for the platform started with EMPORIUM_PORT_OFFSET=5000, "B:<name>" for the other; PostgreSQL
# counted over the postmaster (with its reaped children) and its live backends.
import os,sys,json,re
def stat(p):
    s=open(f'/proc/{p}/stat').read(); r=s[s.rindex(')')+2:].split()
    # fields from 3rd: state=r[0], ppid=r[1]; utime=r[11], stime=r[12], cutime=r[13], cstime=r[14]
    return int(r[1]), int(r[11])+int(r[12]), int(r[13])+int(r[14])
out={}
procs={}
for p in os.listdir('/proc'):
    if not p.isdigit(): continue
    try:
        cmd=open(f'/proc/{p}/cmdline','rb').read().replace(b'\0',b' ').decode()
        ppid,own,child=stat(p)
    except Exception: continue
    procs[int(p)]=(cmd,ppid,own,child)
masters={}
for p,(cmd,ppid,own,child) in procs.items():
    m=re.search(r'postgres -D (\S+)',cmd)
    if m: masters[p]='A' if b'EMPORIUM_PORT_OFFSET=5000' in open(f'/proc/{p}/environ','rb').read() else 'B'
for p,(cmd,ppid,own,child) in procs.items():
    m=re.search(r'emporium\.process=([a-z-]+)',cmd)
    if m and m.group(1) not in ('reaper','launcher-down'):
        env=open(f'/proc/{p}/environ','rb').read()
        plat='A' if b'EMPORIUM_PORT_OFFSET=5000' in env else 'B'
        k=plat+':'+m.group(1); out[k]=out.get(k,0)+own+(child if m.group(1)=='kafka' else 0)
    elif p in masters:
        k=masters[p]+':postgres'; out[k]=out.get(k,0)+own+child
    elif ppid in masters:
        k=masters[ppid]+':postgres'; out[k]=out.get(k,0)+own
json.dump(out,open(sys.argv[1],'w'))
