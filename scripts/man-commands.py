#!/usr/bin/env python3
"""The COMMANDS section of dmp-sign(1), made from the binary's own --help.

Every subcommand's --help is the one source of its options; this script turns
them into groff (.SS per command, .TP per option, its examples) between the
markers in doc/man/dmp-sign.1, so that the man page cannot lose an option or
keep one that is gone. dmp-verify(1) has one command and a hand-written
OPTIONS section; --check also makes sure every option of its --help is there.

  man-commands.py --write DMP_SIGN DMP_VERIFY MAN_DIR   rewrite the section
  man-commands.py --check DMP_SIGN DMP_VERIFY MAN_DIR   exit 1 and show a diff
                                                        when the page is stale
"""
import difflib
import os
import re
import sys
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cli_help import help_text, metavar, sections  # noqa: E402

BEGIN = '.\\" BEGIN COMMANDS: generated from --help by scripts/man-commands.py --write; do not edit'
END = '.\\" END COMMANDS'


def escape(text):
    text = text.replace("\\", "\\e").replace("-", "\\-")
    return "\\&" + text if text.startswith((".", "'")) else text


def option_entry(head, description):
    names, _, spec = head.partition(" ")
    shown = ", ".join(escape(n) for n in names.split(","))
    value = metavar(names.split(",")[-1], spec)
    out = [".TP"]
    out.append(f'.BI "{shown}" " {escape(value)}"' if value else f".B {shown}")
    notes = []
    limits = re.search(r"in \[([^\]]*) - ([^\]]*)\]", spec)
    if limits:
        notes.append(f"{limits.group(1)} to {limits.group(2)}")
    if "REQUIRED" in spec:
        notes.append("required")
    excludes = re.search(r"Excludes: (.*)$", spec)
    if excludes:
        notes.append("not with " + ", ".join(excludes.group(1).split()))
    text = description.rstrip(".")
    if notes:
        text += " (" + "; ".join(notes) + ")"
    out.append(escape(text) + ".")
    return out


def command_section(words, text):
    parsed = sections(text)
    entries = [e for e in parsed["Options"] if not e[0].startswith(("-h,--help", "--version"))]
    if not entries and not parsed["Positionals"]:
        return []
    out = [f'.SS "{escape(" ".join(words))}"', escape(parsed["description"]) + ".", ".PP",
           ".B " + escape(" ".join(words)), escape(parsed["usage"].split(" ", len(words))[-1])]
    for head, description in parsed["Positionals"]:
        name, _, spec = head.partition(" ")
        out += [".TP", f".I {escape(name)}" + (" ..." if "..." in spec else ""),
                escape(description) + "."]
    for head, description in entries:
        out += option_entry(head, description)
    footer = parsed["footer"]
    examples = [i for i, line in enumerate(footer) if line.startswith("Example")]
    if examples:
        block = []
        for line in footer[examples[0]:]:
            if line.startswith("Exit codes"):
                break
            block.append(line)
        while block and not block[-1].strip():
            block.pop()
        out += [".PP", escape(block[0]), ".nf"] + [escape(line) for line in block[1:]] + [".fi"]
    return out


def all_sections(command, words):
    text = help_text(command)
    out = command_section(words, text)
    for name, _ in sections(text)["Subcommands"]:
        out += all_sections(command + [name], words + [name])
    return out


def generated_page(page_text, block):
    start = page_text.index(BEGIN)
    end = page_text.index(END)
    return page_text[:start] + "\n".join([BEGIN] + block + [END]) + page_text[end + len(END):]


def missing_verify_options(verify, page_text):
    options_part = page_text.split(".SH OPTIONS", 1)[1].split("\n.SH ", 1)[0]
    missing = []
    for head, _ in sections(help_text([verify]))["Options"]:
        for name in head.partition(" ")[0].split(","):
            if name in ("-h", "--help"):
                continue
            if escape(name) not in options_part:
                missing.append(name)
    return missing


def main():
    if len(sys.argv) != 5 or sys.argv[1] not in ("--write", "--check"):
        sys.exit(__doc__)
    mode, sign, verify, man_dir = sys.argv[1:]
    sign_page = Path(man_dir) / "dmp-sign.1"
    current = sign_page.read_text()
    block = all_sections([sign], ["dmp-sign"])
    wanted = generated_page(current, block)
    if mode == "--write":
        sign_page.write_text(wanted)
        return
    failed = False
    if wanted != current:
        failed = True
        print("dmp-sign.1: the COMMANDS section differs from --help; run scripts/man-commands.py --write")
        sys.stdout.writelines(difflib.unified_diff(current.splitlines(True), wanted.splitlines(True),
                                                   "dmp-sign.1", "from --help", n=1))
    verify_page = (Path(man_dir) / "dmp-verify.1").read_text()
    for name in missing_verify_options(verify, verify_page):
        failed = True
        print(f"dmp-verify.1: option {name} of --help is not in OPTIONS")
    if failed:
        sys.exit(1)
    print(f"ok: dmp-sign.1 COMMANDS matches --help ({sum(1 for l in block if l == '.TP')} entries); "
          "dmp-verify.1 OPTIONS lists every option")


if __name__ == "__main__":
    main()
