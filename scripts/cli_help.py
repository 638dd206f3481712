"""The command tree of dmp-sign and dmp-verify, read from their own --help.

CLI11's help text is the one source of every subcommand and option;
scripts/man-commands.py (the man page's COMMANDS section) and
scripts/completions.py (bash, zsh and fish completion) are both made from
it, so neither can drift from the binary.
"""
import re
import subprocess
from dataclasses import dataclass, field


def help_text(command):
    return subprocess.run(command + ["--help"], check=True, capture_output=True, text=True).stdout


def sections(text):
    """Splits a CLI11 help text into its parts: description, usage, the
    Positionals/Options/Subcommands entries, and the footer lines."""
    lines = text.splitlines()
    parsed = {"description": lines[0].strip(), "usage": "", "Positionals": [], "Options": [],
              "Subcommands": [], "footer": []}
    current = None
    for line in lines[1:]:
        if line.startswith("Usage: "):
            parsed["usage"] = line[len("Usage: "):]
            current = None
        elif line.rstrip(":") in ("Positionals", "Options", "Subcommands") and line.endswith(":"):
            current = line.rstrip(":")
        elif current and line.startswith("  "):
            if len(line) > 30 and line[:30].strip() == "":  # a description continued
                entry = parsed[current][-1]
                entry[1] = (entry[1] + " " + line.strip()).strip()
            elif len(line) > 30 and line[28:30] == "  ":
                parsed[current].append([line[2:30].strip(), line[30:].strip()])
            else:
                parsed[current].append([line.strip(), ""])
        elif line.strip() == "" and current:
            current = None
        elif line.strip() or parsed["footer"]:
            current = None
            parsed["footer"].append(line)
    return parsed


# Placeholders for the TEXT options whose name does not say what they hold.
TEXT_PLACEHOLDERS = {
    "label": "TEXT", "comment": "TEXT", "expires-in": "DURATION", "subject": "NAME",
    "name": "NAME", "cluster-name": "NAME", "seq": "N|auto", "rp-id": "ID", "module": "MODULE",
    "trust": "FILE", "token": "LABEL", "id": "HEX", "expect-head": "N:HASH",
    "add-node": "ID=URL[,dns=HOST:PORT]", "set-node": "ID=URL[,dns=HOST:PORT]",
    "remove-node": "ID", "add-entry": "P:DOMAIN:KEYHEX", "remove-entry": "DOMAIN",
    "set-priority": "DOMAIN=P",
}


def metavar(name, spec):
    """The argument placeholder of an option: its choices, or a word for its type."""
    choices = re.search(r"\{([^}]*)\}", spec)
    if choices:
        value = "|".join(choices.group(1).split(","))
    else:
        kind = spec.split(":")[0].split(" ")[0]
        if kind in ("UINT", "INT", "FLOAT", "POSITIVE"):
            value = "S" if kind == "FLOAT" else "N"
        elif kind in ("TEXT", "HEX", "FILE", "N", "NAME", "TIME", "DAYS", "SECONDS"):
            value = {"TEXT": "VALUE"}.get(kind, kind)
            base = name.lstrip("-")
            if kind == "TEXT":
                if base in TEXT_PLACEHOLDERS:
                    value = TEXT_PLACEHOLDERS[base]
                elif base.endswith("dir"):
                    value = "DIR"
                elif base.endswith("pubkey") or base.endswith("hex") or base == "expect-public":
                    value = "HEX"
                elif base.endswith(("file", "key", "out", "from", "previous", "helper", "request")):
                    value = "FILE"
                elif base in ("now", "ts", "exp"):
                    value = "TIME"
                elif base.endswith("device") or base == "camera":
                    value = "DEVICE"
                elif base.endswith("pubkey") or base.endswith("hex") or base == "expect-public":
                    value = "HEX"
        else:
            value = ""
    if " ..." in spec:
        value += " ..."
    return value


@dataclass
class Option:
    names: list  # "-j", "--jobs"
    value: str  # "" for a flag; else the placeholder (metavar())
    description: str

    @property
    def takes_value(self):
        return bool(self.value)

    @property
    def choices(self):
        """The words a value may be, when the help lists them ({a,b})."""
        if "|" in self.value and not any(c in self.value for c in "=[:"):
            # "N|auto": the placeholder is not a word to offer
            return [w for w in self.value.replace(" ...", "").split("|") if not w.isupper()]
        return []

    @property
    def completes(self):
        """What the shell offers for the value: files, dirs, choices or nothing."""
        if not self.value:
            return "none"
        if self.choices:
            return "choices"
        base = self.value.replace(" ...", "")
        if base == "DIR":
            return "dirs"
        if base in ("FILE", "DEVICE", "MODULE"):
            return "files"
        return "none"


@dataclass
class Command:
    words: list  # ["dmp-sign", "ledger", "show"]
    description: str
    usage: str
    options: list = field(default_factory=list)
    positionals: list = field(default_factory=list)  # [(name, description)]
    subcommands: list = field(default_factory=list)  # [Command]
    footer: list = field(default_factory=list)


def command_tree(command, words=None):
    """The Command for `command` (argv list) and, recursively, its subcommands."""
    words = words or [command[-1].rsplit("/", 1)[-1]]
    parsed = sections(help_text(command))
    node = Command(words, parsed["description"], parsed["usage"], footer=parsed["footer"])
    for head, description in parsed["Options"]:
        names, _, spec = head.partition(" ")
        node.options.append(Option(names.split(","), metavar(names.split(",")[-1], spec), description))
    for head, description in parsed["Positionals"]:
        node.positionals.append((head.partition(" ")[0], description))
    for name, _ in parsed["Subcommands"]:
        node.subcommands.append(command_tree(command + [name], words + [name]))
    return node
