"""Put on PYTHONPATH by test_interrupt_export.py: the process sends itself a signal from inside
the Bolt driver, just after its Nth read from the socket
(GRAPHMIND_TEST_SIGNAL_AT=N, GRAPHMIND_TEST_SIGNAL=INT|TERM), so that the signal lands in the
middle of a driver call, where a real Ctrl-C can land by chance. With
GRAPHMIND_TEST_COUNT_TO=FILE, how many reads there were is written there instead."""

import os

_AT = os.environ.get("GRAPHMIND_TEST_SIGNAL_AT")
_COUNT_TO = os.environ.get("GRAPHMIND_TEST_COUNT_TO")

if _AT or _COUNT_TO:
    import atexit
    import signal

    from neo4j._sync.io._bolt import _common

    _real = _common.receive_into_buffer
    _calls = [0]

    class _Signalling:
        """The socket, sending the signal once it has read (bytes taken off the wire, not yet
        counted by the driver: a signal raised now leaves the connection out of step)."""

        def __init__(self, sock):
            self.sock = sock

        def recv_into(self, view, n):
            got = self.sock.recv_into(view, n)
            os.kill(os.getpid(), getattr(signal, "SIG" + os.environ.get("GRAPHMIND_TEST_SIGNAL", "INT")))
            return got

    def receive_into_buffer(sock, buffer, n_bytes):
        _calls[0] += 1
        if _AT and _calls[0] == int(_AT):
            sock = _Signalling(sock)
        return _real(sock, buffer, n_bytes)

    _common.receive_into_buffer = receive_into_buffer
    if _COUNT_TO:
        atexit.register(lambda: open(_COUNT_TO, "w").write(str(_calls[0])))
