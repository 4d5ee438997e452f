#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Check that every non-static function has a kernel-doc comment with a
Context: section, and a Return: section unless it returns void.

scripts/kernel-doc checks the parameters; this checks what iox's standard
adds. Usage: kdoc_sections.py FILE...  Prints one line per problem; exit
status 1 if there was any.
"""

import re
import sys

# A definition starts at column 0 with its return type, and its body's
# opening brace is alone at column 0.
DEF_RE = re.compile(r'^(?!static\b)(?!typedef\b)(?!struct\b.*;)'
                    r'([A-Za-z_][\w \*]*?)\b(\w+)\(')


def check(path):
    lines = open(path, encoding='utf-8').read().split('\n')
    problems = []
    for i, line in enumerate(lines):
        m = DEF_RE.match(line)
        if not m or line.rstrip().endswith(';'):
            continue
        # Find the end of the signature and require a body.
        j = i
        while j < len(lines) and not lines[j].rstrip().endswith(')'):
            if lines[j].rstrip().endswith(';'):
                break
            j += 1
        if j + 1 >= len(lines) or lines[j + 1] != '{':
            continue
        rtype, name = m.group(1).strip(), m.group(2)
        # The comment must end right above the signature.
        k = i - 1
        if k < 0 or lines[k].strip() != '*/':
            problems.append(f'{path}:{i + 1}: {name}: no kernel-doc comment')
            continue
        while k >= 0 and not lines[k].startswith('/**'):
            k -= 1
        block = '\n'.join(lines[k:i])
        if 'Context:' not in block:
            problems.append(f'{path}:{i + 1}: {name}: no Context: section')
        if rtype != 'void' and 'Return:' not in block:
            problems.append(f'{path}:{i + 1}: {name}: no Return: section')
    return problems


def main():
    problems = []
    for path in sys.argv[1:]:
        problems += check(path)
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
