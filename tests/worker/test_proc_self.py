"""Does the one reader of /proc (course_tools/worker/proc_self.py) read this process as the kernel shows it?"""

import os

from course_tools.worker import proc_self


def test_mount_points_are_unescaped():
    """Is mountinfo's octal escape (a space is \\040, a backslash \\134) turned back into the character?"""
    assert proc_self._unescape(rb"/tmp/a\040path\134x") == "/tmp/a path\\x"  # oracle: proc(5)'s escaping


def test_the_mount_table_holds_the_root_and_proc():
    """Are / and /proc among this process's mounts, /proc as the proc file system?"""
    mounts = {m.point: m for m in proc_self.mounts()}
    assert "/" in mounts and mounts["/proc"].fstype == "proc"  # oracle: every Linux process has both


def test_status_and_capabilities_agree_with_the_kernel():
    """Do the status fields give this process's pid, and the capability sets parse as hexadecimal numbers?"""
    assert proc_self.status()["Pid"] == str(os.getpid())  # oracle: os.getpid()
    caps = proc_self.capabilities()
    assert set(caps) == set(proc_self.CAPABILITY_SETS) and all(isinstance(v, int) and v >= 0 for v in caps.values())
    if os.geteuid() != 0:
        assert caps["CapEff"] == 0  # an unprivileged process holds no effective capability
