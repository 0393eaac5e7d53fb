#!/usr/bin/python3
"""The kernel's own FOLL_PIN counters of a dump, read with Debian's python3-drgn (0.0.22):

  drgn-pin-accounting.py VMLINUX VMCORE

prints JSON {"acquired": A, "released": R} where A and R are the exact values of the node stats
NR_FOLL_PIN_ACQUIRED / NR_FOLL_PIN_RELEASED, or {"acquired": null, "released": null} when enum
node_stat_item has neither (4.19, the 2018 RFC on 4.19).

Exact value of item i: for every online node, pglist_data.vm_stat[i] plus, for every possible CPU,
per_cpu_ptr(pgdat->per_cpu_nodestats, cpu)->vm_node_stat_diff[i] (drgn's own helpers:
for_each_online_node, for_each_possible_cpu, per_cpu_ptr). The same sum is computed a second way,
from the global vm_node_stat[i] (what /proc/vmstat shows) plus the same diffs, and the two must
agree, or the script fails: an independent reading, not a copy of pinscan's.

(drgn's own ELF reader fails on QEMU dumps with "recursive address translation"; libkdumpfile
reads them, so DRGN_USE_LIBKDUMPFILE_FOR_ELF=1 is set when missing.)
"""
import json
import os
import sys

os.environ.setdefault("DRGN_USE_LIBKDUMPFILE_FOR_ELF", "1")

import drgn  # noqa: E402
from drgn.helpers.linux.cpumask import for_each_possible_cpu  # noqa: E402
from drgn.helpers.linux.nodemask import for_each_online_node  # noqa: E402
from drgn.helpers.linux.percpu import per_cpu_ptr  # noqa: E402


def nodes(prog):
    """Every online node's pglist_data (contig_page_data without NUMA)."""
    try:
        return [prog["contig_page_data"].address_of_()]
    except KeyError:
        return [prog["node_data"][nid] for nid in for_each_online_node(prog)]


def main():
    vmlinux, vmcore = sys.argv[1:3]
    prog = drgn.Program()
    prog.set_core_dump(vmcore)
    prog.load_debug_info([vmlinux])
    try:
        items = {name: prog.constant(name).value_()
                 for name in ("NR_FOLL_PIN_ACQUIRED", "NR_FOLL_PIN_RELEASED")}
    except LookupError:
        print(json.dumps({"acquired": None, "released": None}))
        return 0
    pgdats = nodes(prog)
    cpus = list(for_each_possible_cpu(prog))
    out = {"nodes": len(pgdats), "cpus": len(cpus)}
    for key, item in (("acquired", items["NR_FOLL_PIN_ACQUIRED"]),
                      ("released", items["NR_FOLL_PIN_RELEASED"])):
        diffs = sum(per_cpu_ptr(pgdat.per_cpu_nodestats, cpu).vm_node_stat_diff[item].value_()
                    for pgdat in pgdats for cpu in cpus)
        per_node = sum(pgdat.vm_stat[item].counter.value_() for pgdat in pgdats) + diffs
        global_ = prog["vm_node_stat"][item].counter.value_() + diffs
        if per_node != global_:
            print(f"{key}: per-node sum {per_node} != global vm_node_stat + diffs {global_}",
                  file=sys.stderr)
            return 1
        out[key] = per_node
        out[key + "_diffs"] = diffs
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
