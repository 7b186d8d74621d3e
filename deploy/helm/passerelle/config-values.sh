#!/usr/bin/env bash
# Writes the chart's config.files values from a Passerelle configuration folder (gateway.yaml, routes.yaml,
# partners/, admins/, and schemas/ when present; samples/ is left out):
#
#   deploy/helm/passerelle/config-values.sh /path/to/config > config-values.yaml
#   helm upgrade --install passerelle deploy/helm/passerelle -f config-values.yaml -f site-values.yaml
#
# Each file becomes one entry, its text as a YAML literal block; the chart puts them back in the same folders.
set -euo pipefail

if [[ $# -ne 1 || ! -f $1/gateway.yaml ]]; then
    echo "usage: config-values.sh CONFIG_DIR > config-values.yaml (CONFIG_DIR: the folder that holds gateway.yaml)" >&2
    exit 2
fi
cd "$1"

limit=$((1000 * 1024)) # a ConfigMap holds 1 MiB at most
total=0
echo "config:"
echo "  files:"
while IFS= read -r -d '' file; do
    path=${file#./}
    if [[ ! $path =~ ^[-._a-zA-Z0-9/]+$ ]]; then
        echo "config-values.sh: $path: rename it with letters, digits, '-', '_' and '.' only (a ConfigMap key allows no other)" >&2
        exit 1
    fi
    total=$((total + $(wc -c < "$file")))
    # Indentation indicator 2: lines that start with spaces stay as they are; '+' keeps the final newlines.
    printf '    "%s": |2+\n' "$path"
    sed -e 's/^/      /' "$file"
    [[ -z $(tail -c 1 "$file") ]] || echo
done < <(find . -path ./samples -prune -o -type f -print0 | sort -z)

if ((total > limit)); then
    echo "config-values.sh: the configuration holds $total bytes, more than one ConfigMap takes ($limit): leave out what the gateway does not read (samples, drafts)" >&2
    exit 1
fi
