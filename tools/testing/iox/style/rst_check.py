#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Parse reStructuredText files with docutils and report every warning.

Sphinx-only directives the kernel's documentation uses (toctree) are
accepted without checking. Usage: rst_check.py FILE...  Exit status 1 if
any file has a warning or error.
"""

import sys

import docutils.core
from docutils.parsers.rst import Directive, directives


class Accepted(Directive):
    """A Sphinx directive docutils does not know: parsed, not rendered."""
    has_content = True
    optional_arguments = 1
    final_argument_whitespace = True
    option_spec = {'maxdepth': directives.unchanged,
                   'caption': directives.unchanged}

    def run(self):
        return []


def main():
    directives.register_directive('toctree', Accepted)
    bad = 0
    for path in sys.argv[1:]:
        with open(path, encoding='utf-8') as f:
            text = f.read()
        doc = docutils.core.publish_doctree(
            text, source_path=path,
            settings_overrides={'report_level': 5, 'halt_level': 5})
        for msg in doc.traverse(condition=lambda n: n.tagname == 'system_message'):
            if msg['level'] >= 2:
                print(f"{path}:{msg.get('line', '?')}: {msg.astext()}")
                bad += 1
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
