#!/usr/bin/env bash
# Starts a one-node Slurm on this machine for sedge's Slurm integration test (SlurmSweepIT) and for
# trying `sedge sweep --executor slurm` by hand: installs Debian's slurm-wlm and munge when missing
# (needs root and apt), writes /etc/slurm/slurm.conf for one node (this host, 2 CPUs by default), and
# starts munged, slurmctld and slurmd in the background (no systemd needed), then waits until sinfo
# shows the node idle. Idempotent: a running Slurm from an earlier call is left alone.
#
#   benchmarks/slurm/start-local-slurm.sh            # start (or confirm it runs)
#   benchmarks/slurm/start-local-slurm.sh --stop     # stop the daemons it started
#
# State, spool and logs live in $SEDGE_SLURM_DIR (default /tmp/sedge-slurm). No accounting database:
# sacct is unavailable on this cluster; squeue and the sweep folder tell what ran.
set -euo pipefail

dir="${SEDGE_SLURM_DIR:-/tmp/sedge-slurm}"
cpus="${SEDGE_SLURM_CPUS:-$(nproc)}"
node="$(hostname -s)"

stop() {
    for daemon in slurmd slurmctld munged; do
        if [[ -f "$dir/$daemon.pid" ]]; then
            kill "$(cat "$dir/$daemon.pid")" 2>/dev/null || true
            rm -f "$dir/$daemon.pid"
        fi
    done
}

if [[ "${1:-}" == "--stop" ]]; then
    stop
    exit 0
fi

started=$(date +%s.%N)
if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
    if [[ $(id -u) -ne 0 ]]; then
        echo "start-local-slurm: slurm-wlm and munge are not installed and this is not root: install them" \
            "(apt-get install -y slurm-wlm munge) or run as root" >&2
        exit 1
    fi
    echo "start-local-slurm: installing slurm-wlm and munge" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq slurm-wlm munge >/dev/null
fi

if sinfo -h -o '%T' 2>/dev/null | grep -q -E '^(idle|mixed|allocated)'; then
    echo "start-local-slurm: Slurm is already up: $(sinfo -h -o '%N %T %c CPUs')" >&2
    exit 0
fi

mkdir -p "$dir/state" "$dir/spool" "$dir/log" /run/munge /etc/slurm
if [[ ! -s /etc/munge/munge.key ]]; then
    mkdir -p /etc/munge
    dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 status=none
fi
chown -R munge:munge /etc/munge /run/munge /var/lib/munge /var/log/munge 2>/dev/null || true
chmod 0400 /etc/munge/munge.key
chmod 0755 /run/munge

cat > /etc/slurm/slurm.conf <<CONF
# written by sedge's benchmarks/slurm/start-local-slurm.sh: one node, no cgroups, no accounting
ClusterName=sedge-local
SlurmctldHost=$node
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
MpiDefault=none
ReturnToService=2
KillWait=5
MinJobAge=600
SlurmctldTimeout=30
SlurmdTimeout=30
NodeName=$node NodeAddr=127.0.0.1 CPUs=$cpus State=UNKNOWN
PartitionName=debug Nodes=$node Default=YES MaxTime=INFINITE State=UP
CONF

if ! pgrep -x munged >/dev/null; then
    runuser -u munge -- /usr/sbin/munged
    cp /run/munge/munged.pid "$dir/munged.pid" # munged's own pid file: the daemon, not the runuser that forked it
fi
/usr/sbin/slurmctld -i
/usr/sbin/slurmd

for _ in $(seq 1 120); do
    if sinfo -h -o '%T' 2>/dev/null | grep -q -E '^(idle|mixed|allocated)$'; then
        printf 'start-local-slurm: Slurm is up in %.1f s: %s\n' "$(awk -v a="$(date +%s.%N)" -v b="$started" 'BEGIN{print a-b}')" \
            "$(sinfo -h -o '%N %T %c CPUs, partition %P')" >&2
        exit 0
    fi
    sleep 0.5
done
echo "start-local-slurm: the node did not become idle in 60 s; sinfo says: $(sinfo 2>&1 | tr '\n' ' ')" >&2
echo "start-local-slurm: see $dir/log/slurmctld.log and $dir/log/slurmd.log" >&2
exit 1
