"""The attnrank command line: output formats, exit codes and error messages.

Run: /usr/bin/python3 tests/cli/test_cli.py build/native/attnrank
"""
import sys
import unittest

import cli_common
from cli_commands_tests import *  # noqa: F401,F403 (the test classes)
from cli_contract_tests import *  # noqa: F401,F403


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: test_cli.py PATH/TO/attnrank")
    cli_common.CLI = sys.argv.pop(1)
    unittest.main(verbosity=2)
