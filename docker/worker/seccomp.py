#!/usr/bin/env python3
"""Writes the worker's seccomp profile: Docker's default profile plus exactly what bubblewrap needs.

    python3 docker/worker/seccomp.py DOCKER_DEFAULT_JSON > docker/worker/seccomp.json

DOCKER_DEFAULT_JSON is moby's profiles/seccomp/default.json (Debian ships it in golang-github-docker-docker-dev,
at /usr/share/gocode/src/github.com/docker/docker/profiles/seccomp/default.json). Docker's default profile allows
clone with namespace flags, unshare, mount, umount2 and pivot_root only to containers holding CAP_SYS_ADMIN, which
the worker's container must not have. Bubblewrap, run by the worker's unprivileged user, needs exactly these to make
its user, mount, PID, IPC, UTS, network and cgroup namespaces, mount the sandbox's file system and pivot into it
(each one left out makes it fail; setns, which it does not use with the worker's options, stays refused).
Everything else stays as in Docker's default: one rule is added, nothing is removed.
"""
import json
import sys

BUBBLEWRAP = {
    "names": ["clone", "mount", "pivot_root", "umount2", "unshare"],
    "action": "SCMP_ACT_ALLOW",
    "args": [],
    "comment": "bubblewrap: its namespaces (clone and unshare with CLONE_NEW* flags), the sandbox's mounts "
               "(mount, umount2) and its new root (pivot_root), all inside a user namespace of the worker's "
               "unprivileged user",
    "includes": {},
    "excludes": {},
}


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        profile = json.load(f)
    profile["syscalls"].append(BUBBLEWRAP)
    json.dump(profile, sys.stdout, indent="\t")
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
