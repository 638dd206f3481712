#!/usr/bin/env python3
"""Shell completion for dmp-sign and dmp-verify, made from their own --help.

One command tree (scripts/cli_help.py) gives three scripts per tool, so no
shell's list can lose or keep an option the binary does not have:

  completions/dmp-sign, completions/dmp-verify            bash
  completions/_dmp-sign, completions/_dmp-verify          zsh (#compdef)
  completions/dmp-sign.fish, completions/dmp-verify.fish  fish

All three walk the words typed so far the same way: a word that names a
subcommand of the current command descends into it, unless an option was
given since (rotate's one-step options belong after `rotate`); the word
after an option that takes a value is that value, never a subcommand.
Values complete as the help says: files, directories, the listed choices,
or nothing (a passphrase fd, a time, a hex key).

  completions.py --write DMP_SIGN DMP_VERIFY DIR   rewrite the six files
  completions.py --check DMP_SIGN DMP_VERIFY DIR   exit 1 when one is stale
"""
import os
import sys
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cli_help import command_tree  # noqa: E402

GENERATED = "generated from --help by scripts/completions.py --write; do not edit"


def nodes(command, path=""):
    """(path, Command) for the command and every subcommand: "", "/ledger", "/ledger/show"."""
    yield path, command
    for sub in command.subcommands:
        yield from nodes(sub, path + "/" + sub.words[-1])


def option_names(command):
    return [name for option in command.options for name in option.names]


def value_options(command, kind=None):
    return [name for option in command.options if option.takes_value
            and (kind is None or option.completes == kind) for name in option.names]


def case_patterns(path, names):
    return "|".join(f"'{path}:{name}'" for name in names)


def function_name(tool):
    return "_" + tool.replace("-", "_")


def walk_cases(tree):
    """The loop body bash and zsh share (both take "(pattern)" in case): the
    word after a value-taking option is skipped, an option stops the descent,
    and a subcommand's name descends into it."""
    takes = "|".join(t for t in (case_patterns(path, value_options(command))
                                 for path, command in nodes(tree)) if t)
    subs = "|".join(f"'{path}/{sub.words[-1]}'" for path, command in nodes(tree)
                    for sub in command.subcommands)
    lines = ['    case "$node:$word" in']
    if takes:
        lines.append(f"      ({takes}) ((i++)); seen_option=1; continue ;;")
    lines += ["      (*:-*) seen_option=1; continue ;;", "    esac",
              '    [[ -n "$seen_option" ]] && continue', '    case "$node/$word" in']
    if subs:
        lines.append(f"      ({subs}) node=$node/$word ;;")
    return lines + ["    esac"]


def value_cases(tree, actions):
    """One case line per value-taking option: `actions` maps what the value
    completes as (choices, files, dirs, none) to the shell's command."""
    lines = []
    for path, command in nodes(tree):
        for option in command.options:
            if option.takes_value:
                action = actions[option.completes].format(
                    choices=" ".join(option.choices), value=option.value)
                lines.append(f"    ({case_patterns(path, option.names)}) {action}")
    return lines


# --- bash ----------------------------------------------------------------------

def bash_script(tool, tree):
    fn = function_name(tool)
    lines = [f"# bash completion for {tool}: {GENERATED}",
             f"{fn}_files() {{  # file names, one per line: spaces stay in one word",
             "  compopt -o filenames 2>/dev/null  # quote them; a directory gets / and no space",
             '  mapfile -t COMPREPLY < <(compgen -f -- "$1")',
             "}",
             f"{fn}_dirs() {{",
             "  compopt -o filenames 2>/dev/null",
             '  mapfile -t COMPREPLY < <(compgen -d -- "$1")',
             "}",
             f"{fn}() {{",
             '  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}',
             '  local node="" seen_option="" word i',
             "  for ((i = 1; i < COMP_CWORD; i++)); do",
             '    word=${COMP_WORDS[i]}']
    lines += walk_cases(tree)
    lines += ["  done", '  case "$node:$prev" in']
    lines += value_cases(tree, {
        "choices": 'mapfile -t COMPREPLY < <(compgen -W "{choices}" -- "$cur"); return ;;',
        "files": fn + '_files "$cur"; return ;;',
        "dirs": fn + '_dirs "$cur"; return ;;',
        "none": "COMPREPLY=(); return ;;  # {value}"})
    lines += ["  esac", '  local options="" words="" files=""', '  case "$node" in']
    for path, command in nodes(tree):
        words = " ".join(sub.words[-1] for sub in command.subcommands)
        entry = f"    '{path}') options=\"{' '.join(option_names(command))}\""
        if words:
            entry += f' words="{words}"'
        if command.positionals:
            entry += " files=1"
        lines.append(entry + " ;;")
    lines += ["  esac",
              '  if [[ "$cur" == -* ]]; then',
              '    mapfile -t COMPREPLY < <(compgen -W "$options" -- "$cur")',
              '  elif [[ -n "$words" && -z "$seen_option" ]]; then',
              '    mapfile -t COMPREPLY < <(compgen -W "$words" -- "$cur")',
              '  elif [[ -n "$files" ]]; then',
              f'    {fn}_files "$cur"',
              "  else",
              "    COMPREPLY=()",
              "  fi",
              "}",
              f"complete -F {fn} {tool}",
              ""]
    return "\n".join(lines)


# --- zsh -----------------------------------------------------------------------

def zsh_quote(text):
    return "'" + text.replace("'", "'\\''") + "'"


def zsh_script(tool, tree):
    fn = function_name(tool)
    lines = [f"#compdef {tool}", f"# zsh completion for {tool}: {GENERATED}", f"{fn}() {{",
             '  local node="" seen_option="" word i',
             "  for ((i = 2; i < CURRENT; i++)); do",
             '    word=${words[i]}']
    lines += walk_cases(tree)
    lines += ["  done", '  local cur=${words[CURRENT]} prev=${words[CURRENT-1]}',
              '  case "$node:$prev" in']
    lines += value_cases(tree, {
        "choices": "compadd -- {choices}; return ;;",
        "files": "_files; return ;;",
        "dirs": "_files -/; return ;;",
        "none": "_message '{value}'; return ;;"})
    lines += ["  esac", "  local -a options subcommands", "  local files=\"\"", '  case "$node" in']
    for path, command in nodes(tree):
        described = " ".join(zsh_quote(f"{name}:{option.description}")
                             for option in command.options for name in option.names)
        entry = f"    ('{path}') options=({described})"
        if command.subcommands:
            entry += " subcommands=(" + " ".join(
                zsh_quote(f"{sub.words[-1]}:{sub.description}") for sub in command.subcommands) + ")"
        if command.positionals:
            entry += " files=1"
        lines.append(entry + " ;;")
    lines += ["  esac",
              '  if [[ "$cur" == -* ]]; then',
              "    _describe -t options option options",
              '  elif (( ${#subcommands} )) && [[ -z "$seen_option" ]]; then',
              "    _describe -t commands command subcommands",
              '  elif [[ -n "$files" ]]; then',
              "    _files",
              "  fi",
              "}",
              f'{fn} "$@"',
              ""]
    return "\n".join(lines)


# --- fish ----------------------------------------------------------------------

def fish_quote(text):
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def fish_script(tool, tree):
    fn = "__" + tool.replace("-", "_") + "_node"
    lines = [f"# fish completion for {tool}: {GENERATED}",
             f"function {fn} --description 'the {tool} (sub)command being typed: \"\", /ledger, ...'",
             "    set -l typed (commandline -opc)",
             '    set -l node ""',
             "    set -l seen_option 0",
             "    set -l skip 0",
             "    for word in $typed[2..-1]",
             "        if test $skip = 1",
             "            set skip 0",
             "            continue",
             "        end",
             '        switch "$node:$word"']
    takes = [f"'{path}:{name}'" for path, command in nodes(tree) for name in value_options(command)]
    if takes:
        lines += [f"            case {' '.join(takes)}",
                  "                set skip 1",
                  "                set seen_option 1",
                  "                continue"]
    lines += ["            case '*:-*'",
              "                set seen_option 1",
              "                continue",
              "        end",
              "        test $seen_option = 1; and continue",
              '        switch "$node/$word"']
    subs = [f"'{path}/{sub.words[-1]}'" for path, command in nodes(tree) for sub in command.subcommands]
    if subs:
        lines += [f"            case {' '.join(subs)}", '                set node "$node/$word"']
    lines += ["        end", "    end", '    echo "$node"', "end",
              f"function {fn}_is --argument-names wanted",
              f"    set -l node ({fn})",
              '    test "$node" = "$wanted"',
              "end",
              f"function {fn}_takes_subcommand --argument-names wanted",
              "    # a subcommand only before any option of its parent",
              f"    set -l node ({fn})",
             '    test "$node" = "$wanted"; or return 1',
              "    for word in (commandline -opc)[2..-1]",
              "        string match -q -- '-*' $word; and return 1",
              "    end",
              "    return 0",
              "end",
              f"complete -c {tool} -f"]
    for path, command in nodes(tree):
        cond = f"{fn}_is '{path}'"
        for sub in command.subcommands:
            lines.append(f"complete -c {tool} -n \"{fn}_takes_subcommand '{path}'\" -a {sub.words[-1]} "
                         f"-d {fish_quote(sub.description)}")
        for option in command.options:
            flags = " ".join(f"-l {name[2:]}" if name.startswith("--") else f"-s {name[1:]}"
                             for name in option.names)
            if option.completes == "choices":
                value = f"-x -a {fish_quote(' '.join(option.choices))}"
            elif option.completes == "files":
                value = "-r -F"
            elif option.completes == "dirs":
                value = "-x -a '(__fish_complete_directories)'"
            elif option.takes_value:
                value = "-x"
            else:
                value = ""
            parts = [f"complete -c {tool} -n \"{cond}\"", flags, value,
                     f"-d {fish_quote(option.description)}"]
            lines.append(" ".join(part for part in parts if part))
        if command.positionals:
            lines.append(f"complete -c {tool} -n \"{cond}\" -F")
    return "\n".join(lines) + "\n"


def scripts(sign, verify):
    out = {}
    for binary, tool in ((sign, "dmp-sign"), (verify, "dmp-verify")):
        tree = command_tree([binary], [tool])
        out[tool] = bash_script(tool, tree)
        out["_" + tool] = zsh_script(tool, tree)
        out[tool + ".fish"] = fish_script(tool, tree)
    return out


def main():
    if len(sys.argv) != 5 or sys.argv[1] not in ("--write", "--check"):
        sys.exit(__doc__)
    mode, sign, verify, directory = sys.argv[1:]
    stale = []
    for name, text in scripts(sign, verify).items():
        path = Path(directory) / name
        if mode == "--write":
            path.write_text(text)
        elif not path.exists() or path.read_text() != text:
            stale.append(name)
    if stale:
        print(f"stale completions (run scripts/completions.py --write): {' '.join(stale)}")
        sys.exit(1)
    if mode == "--check":
        print("ok: bash, zsh and fish completions match --help")


if __name__ == "__main__":
    main()
