# fish completion for dmp-verify: generated from --help by scripts/completions.py --write; do not edit
function __dmp_verify_node --description 'the dmp-verify (sub)command being typed: "", /ledger, ...'
    set -l typed (commandline -opc)
    set -l node ""
    set -l seen_option 0
    set -l skip 0
    for word in $typed[2..-1]
        if test $skip = 1
            set skip 0
            continue
        end
        switch "$node:$word"
            case ':--pubkey' ':--pubkey-file' ':--trust' ':--name' ':--now' ':--min-seq' ':--max-age' ':--warn-expiring' ':--record' ':-j' ':--jobs'
                set skip 1
                set seen_option 1
                continue
            case '*:-*'
                set seen_option 1
                continue
        end
        test $seen_option = 1; and continue
        switch "$node/$word"
        end
    end
    echo "$node"
end
function __dmp_verify_node_is --argument-names wanted
    set -l node (__dmp_verify_node)
    test "$node" = "$wanted"
end
function __dmp_verify_node_takes_subcommand --argument-names wanted
    # a subcommand only before any option of its parent
    set -l node (__dmp_verify_node)
    test "$node" = "$wanted"; or return 1
    for word in (commandline -opc)[2..-1]
        string match -q -- '-*' $word; and return 1
    end
    return 0
end
complete -c dmp-verify -f
complete -c dmp-verify -n "__dmp_verify_node_is ''" -s h -l help -d 'Print this help message and exit'
complete -c dmp-verify -n "__dmp_verify_node_is ''" -l version -d 'Display program version information and exit'
complete -c dmp-verify -n "__dmp_verify_node_is ''" -l pubkey -x -d 'The pinned public key of the signer, 64 hex digits'
complete -c dmp-verify -n "__dmp_verify_node_is ''" -l pubkey-file -r -F -d 'Read the pinned key from a file (bare hex or key=value)'
complete -c dmp-verify -n "__dmp_verify_node_is ''" -l trust -r -F -d 'Pick pinned keys by record type and name from a trust file'
complete -c dmp-verify -n "__dmp_verify_node_is ''" -l name -x -d 'Require this cluster name / user domain (case and one trailing dot ignored)'
complete -c dmp-verify -n "__dmp_verify_node_is ''" -l now -x -d 'Verify as of this time: unix seconds or RFC 3339 (default: the clock, read once)'
complete -c dmp-verify -n "__dmp_verify_node_is ''" -l min-seq -x -d 'Records with seq below N are invalid (seq_rollback)'
complete -c dmp-verify -n "__dmp_verify_node_is ''" -l max-age -x -d 'Revocations older than SECONDS are invalid (revocation_stale); default: none'
complete -c dmp-verify -n "__dmp_verify_node_is ''" -l warn-expiring -x -d 'Valid records expiring within DAYS are reported as \'expiring\' (exit 3)'
complete -c dmp-verify -n "__dmp_verify_node_is ''" -l record -x -d 'Of an input (dig output, zone text) holding several DMP records, check the Nth (from 1); without it such an input is refused'
complete -c dmp-verify -n "__dmp_verify_node_is ''" -s j -l jobs -x -d 'Check the files on N threads; the output order and exit code are those of -j 1 (default: the online cores)'
complete -c dmp-verify -n "__dmp_verify_node_is ''" -l strict -d 'Also refuse encodings a conforming signer never emits (non_canonical)'
complete -c dmp-verify -n "__dmp_verify_node_is ''" -l json -d 'One JSON object per line instead of plain lines'
complete -c dmp-verify -n "__dmp_verify_node_is ''" -l quiet -d 'Print nothing per file (with --json: the JSON lines only); report by exit code'
complete -c dmp-verify -n "__dmp_verify_node_is ''" -F
