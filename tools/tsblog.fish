# fish completion for tsblog(1), installed as
# share/fish/vendor_completions.d/tsblog.fish.  The same words as
# tools/tsblog.bash-completion (tests/test-schemas.py checks both against
# --help).

# The rule ids the command line would load (its -r and --no-builtin).
function __tsblog_rule_ids
    set -l args
    set -l words (commandline -opc)
    set -l i 2
    while test $i -le (count $words)
        switch $words[$i]
            case -r --rules
                set i (math $i + 1)
                set -a args -r $words[$i]
            case '--rules=*'
                set -a args -r (string replace -- --rules= '' $words[$i])
            case --no-builtin
                set -a args --no-builtin
        end
        set i (math $i + 1)
    end
    $words[1] rules list $args 2>/dev/null | string replace -r ' .*' ''
end

set -l cmds rules explain learn doctor
set -l scan "not __fish_seen_subcommand_from $cmds"
set -l rules_subs list check why stats

for c in tsblog kubectl-tsblog
    complete -c $c -n "__fish_use_subcommand" -a rules -d 'list, check, explain or measure rules'
    complete -c $c -n "__fish_use_subcommand" -a explain -d 'show one rule in full'
    complete -c $c -n "__fish_use_subcommand" -a learn -d 'turn unclassified errors into rule skeletons'
    complete -c $c -n "__fish_use_subcommand" -a doctor -d 'read the control plane through kubectl'
    complete -c $c -n "__fish_seen_subcommand_from rules; and not __fish_seen_subcommand_from $rules_subs" -f -a "$rules_subs"

    # Every command.
    complete -c $c -s h -l help -d 'show the help'
    complete -c $c -s r -l rules -r -F -d 'load a rule file before the bundled rules'
    complete -c $c -l no-builtin -d 'do not load the bundled TSB rules'
    complete -c $c -n "$scan; or __fish_seen_subcommand_from doctor rules why" -l rule -x -a '(__tsblog_rule_ids)' -d 'report only this rule'
    complete -c $c -n "__fish_seen_subcommand_from explain" -f -a '(__tsblog_rule_ids)'

    # The scan (and doctor, which takes its options).
    set -l sd "$scan; or __fish_seen_subcommand_from doctor"
    complete -c $c -n "$sd" -s o -l output -x -a 'text json summary-json' -d 'output format'
    complete -c $c -n "__fish_seen_subcommand_from list" -s o -l output -x -a 'text json' -d 'output format'
    complete -c $c -n "$sd" -l passthrough -d 'copy every input line, with diagnoses after'
    complete -c $c -n "$sd" -l raw -d 'with --passthrough: keep control sequences'
    complete -c $c -n "$sd" -s f -l follow -d 'follow the files like tail -F'
    complete -c $c -n "$sd" -l color -l colour -x -a 'auto always never' -d 'colour'
    complete -c $c -n "$sd" -l no-redact -d 'show secrets instead of markers'
    complete -c $c -n "$sd" -s j -l jobs -x -d 'threads for a big regular file'
    complete -c $c -n "$sd" -l min-severity -x -a 'error warning info' -d 'report only this severity and worse'
    complete -c $c -n "$sd" -l fail-on -x -a 'error warning info never' -d 'exit 1 only for this severity and worse'
    complete -c $c -n "$scan" -s V -l version -d 'show the version'
    complete -c $c -n "$scan" -s R -l recursive -d 'read the files under each directory'
    complete -c $c -n "$scan" -s a -l text -d 'read an input that looks binary'

    # doctor
    set -l d "__fish_seen_subcommand_from doctor"
    complete -c $c -n "$d" -l kubeconfig -r -F -d 'kubeconfig file for every kubectl call'
    complete -c $c -n "$d" -l context -x -a '(kubectl config get-contexts -o name 2>/dev/null)' -d 'kubeconfig context'
    complete -c $c -n "$d" -s n -l namespace -x -d 'the control plane namespace'
    complete -c $c -n "$d" -l request-timeout -x -d 'how long each kubectl request may wait'
    complete -c $c -n "$d" -l kubectl -x -a '(__fish_complete_command)' -d 'the kubectl to run'
end
