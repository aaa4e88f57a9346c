# Reads the report.md of each run of alternate.sh (directories <n>-<A|B>) and prints one Markdown
# table: per run the best rate held (nothing shed or failed, accept p99 within ACCEPT_P99_MS, 500 by
# default: stricter than the benchmark's own "holds"), its accept and to-terminal p99, the CPU per confirmed order at
# the compared rate, the database ceiling, transactions and messages per order (where the run's
# benchmark counts them); then each side's medians and B / A.
import os, re, statistics, sys

out, compare_at = sys.argv[1], int(sys.argv[2])
accept_p99_ms = int(os.environ.get('ACCEPT_P99_MS', '500'))

def rows(text, heading):
    part = text.split(heading, 1)
    if len(part) < 2:
        return []
    body = part[1].split('\n## ', 1)[0]
    return [[c.strip() for c in line.strip().strip('|').split('|')] for line in body.splitlines()
            if line.startswith('|') and not line.startswith('|---')]

def number(cell):
    m = re.search(r'-?[\d,]+(\.\d+)?', cell.replace('**', ''))
    return float(m.group(0).replace(',', '')) if m else None

def rate(cell):
    m = re.match(r'(\d+)', cell)
    return int(m.group(1)) if m and 'overload' not in cell else None

runs = []
for name in sorted(os.listdir(out)):
    report = os.path.join(out, name, 'report.md')
    if not re.match(r'\d+-[AB]$', name) or not os.path.exists(report):
        continue
    text = open(report).read()
    steps = rows(text, '## Orders through the gateway')
    head, steps = steps[0], steps[1:]
    col = {h: i for i, h in enumerate(head)}
    held = None
    for s in steps:
        r = rate(s[0])
        if r is None:
            continue
        orders, shed, failed = number(s[col['orders']]), number(s[col['shed (503)']]), number(s[col['failed']])
        p99 = number(s[9])
        if orders and shed == 0 and failed == 0 and p99 <= accept_p99_ms and (held is None or r > held[0]):
            held = (r, number(s[2]), p99, number(s[11]))
    cpu = rows(text, '## CPU per confirmed order')
    at = next(((number(c[-2]), number(c[-1])) for c in cpu[1:] if rate(c[0]) == compare_at), (None, None))
    ceiling = next((number(c[1]) for c in rows(text, '## Database ceiling') if 'all three' in c[0]), None)
    traffic = {rate(c[1]): (number(c[3]), number(c[4])) for c in rows(text, '## Transactions and messages per order')[1:]
               if rate(c[1]) is not None}
    runs.append(dict(name=name, side=name[-1], held=held, cpu=at, ceiling=ceiling, traffic=traffic))

print(f'| run | rate held/s | confirmed/s | accept p99 | to terminal p99 | CPU ms per order at {compare_at}/s (without JIT) | ceiling/s | held / ceiling | transactions, messages per order at 5/s and at the rate held |')
print('|---|---:|---:|---:|---:|---:|---:|---:|---|')
for r in runs:
    h = r['held'] or (0, 0, 0, 0)
    t5, th = r['traffic'].get(5), r['traffic'].get(h[0])
    tr = f"{t5[0]:.1f}, {t5[1]:.1f} / {th[0]:.1f}, {th[1]:.1f}" if t5 and th else 'not counted'
    ratio = f"{h[0] / r['ceiling']:.2f}" if r['ceiling'] else '-'
    warm = f"{r['cpu'][0] - r['cpu'][1]:.1f}" if r['cpu'][0] else '-'
    print(f"| {r['name']} | {h[0]} | {h[1]:.1f} | {h[2]:.0f} ms | {h[3]:.0f} ms | {r['cpu'][0] or '-'} ({warm}) | {r['ceiling'] or '-'} | {ratio} | {tr} |")
def med(side, key):
    values = [key(r) for r in runs if r['side'] == side and key(r) is not None]
    return statistics.median(values) if values else None
print()
for label, key in [('rate held/s', lambda r: r['held'][0] if r['held'] else None), (f'CPU ms per order at {compare_at}/s', lambda r: r['cpu'][0]),
                   (f'the same without the JIT', lambda r: r['cpu'][0] - r['cpu'][1] if r['cpu'][0] else None)]:
    a, b = med('A', key), med('B', key)
    shown = lambda value: '-' if value is None else f'{value:.1f}'
    print(f"- {label}: A {shown(a)}, B {shown(b)}, B / A = {b / a:.2f}" if a and b else f"- {label}: A {shown(a)}, B {shown(b)}")
print(f"(held: nothing shed or failed and accept p99 <= {accept_p99_ms} ms; ACCEPT_P99_MS=1000 reads it closer to the benchmark's own rule)")

# CPU per confirmed order at the compared rate, per process: where a difference comes from
print(f'\n| run | CPU ms per confirmed order at {compare_at}/s, by process |\n|---|---|')
for name in sorted(os.listdir(out)):
    report = os.path.join(out, name, 'report.md')
    if not re.match(r'\d+-[AB]$', name) or not os.path.exists(report):
        continue
    cpu = rows(open(report).read(), '## CPU per confirmed order')
    line = next((c for c in cpu[1:] if rate(c[0]) == compare_at), None)
    if line:
        print(f"| {name} | " + ', '.join(f"{h} {v.replace('**', '')}" for h, v in zip(cpu[0][1:], line[1:])) + ' |')
