#!/usr/bin/env bash
# Makes the Kubernetes Secrets with the botfleet services' Ed25519 keys, one per service, in the
# shape the Helm chart reads (docs/kubernetes.md "Service keys"):
#   service.key   the key file (docs/protocol.md): agent_id=svc-<service>, key_version, private_key
#   public-key    the public key, base64 (identity-service trusts it)
# Only openssl and kubectl are needed; the private keys never touch the disk.
#
#   helm/service-keys.sh [-n namespace] [-r release] [-v key-version] [service...]
#     prints the Secrets as YAML; pipe to `kubectl apply -f -`, or to your sealing tool
#     (kubeseal, SOPS) to keep them in Git. Default: all six services, key version 1.
#
# Rotation: run it again for one service with the next key version (the version identity-service
# will give the new key: the current one plus 1), e.g. `-v 2 fleet`, apply, then restart
# identity-service and that service (docs/kubernetes.md "Rotating a service key").
set -euo pipefail

namespace=""
release="botfleet"
version=1
while getopts "n:r:v:h" option; do
  case $option in
    n) namespace=$OPTARG ;;
    r) release=$OPTARG ;;
    v) version=$OPTARG ;;
    *) sed -n '2,16p' "$0"; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
services=("$@")
[[ ${#services[@]} -gt 0 ]] || services=(identity permission health fleet deploy billing)

[[ $version =~ ^[1-9][0-9]*$ ]] || { echo "key version must be a positive number" >&2; exit 2; }
for service in "${services[@]}"; do
  case $service in
    identity|permission|health|fleet|deploy|billing) ;;
    *) echo "unknown service: $service" >&2; exit 2 ;;
  esac
done
# The chart's object prefix: the release name when it contains "botfleet", else <release>-botfleet.
if [[ $release == *botfleet* ]]; then prefix=$release; else prefix="$release-botfleet"; fi

for service in "${services[@]}"; do
  der=$(openssl genpkey -algorithm ed25519 -outform DER | base64 -w0)
  # PKCS#8 DER of an Ed25519 key ends with the 32-byte seed; SPKI DER with the 32-byte public key.
  seed=$(base64 -d <<<"$der" | tail -c 32 | base64 -w0)
  public=$(base64 -d <<<"$der" | openssl pkey -inform DER -pubout -outform DER | tail -c 32 | base64 -w0)
  key_file=$(printf 'agent_id=svc-%s\nkey_version=%s\nprivate_key=%s\n' "$service" "$version" "$seed")
  echo "---"
  kubectl create secret generic "$prefix-$service-key" ${namespace:+--namespace "$namespace"} \
    --from-literal=service.key="$key_file" --from-literal=public-key="$public" \
    --dry-run=client -o yaml |
    kubectl label --local -f - -o yaml \
      app.kubernetes.io/name=botfleet app.kubernetes.io/instance="$release" \
      app.kubernetes.io/component="$service" app.kubernetes.io/part-of=botfleet \
      botfleet.io/key-version="$version"
done
