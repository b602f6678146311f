#!/usr/bin/env bash
# Evidence upload benchmark: one 2 GiB file over loopback to a real `cairn serve` with tus (one
# streaming PATCH from curl), against `cp` + `sha256sum` + `sync` of the same file on the same disk
# in the same run, since absolute numbers on a shared 2-core VM mean little. Reports the server's
# peak RSS (VmHWM) over the upload and the throughput ratio. Targets: peak RSS < 64 MB, ratio >= 0.5.
# The peak is reset (/proc/PID/clear_refs 5) once the educator has signed in, because Argon2id
# password hashing briefly takes 64 MiB by design; that earlier peak is printed too.
#   bench/uploads/run.sh BUILD_DIR        (BENCH_UPLOAD_BYTES overrides the size)
set -euo pipefail
build=$(cd "${1:-build}" && pwd)
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
size=${BENCH_UPLOAD_BYTES:-2147483648}
port=${BENCH_PORT:-18180}
# Under /var/tmp, on the same disk as the data directory, so both sides write to one device.
work=$(mktemp -d /var/tmp/cairn-bench-uploads.XXXXXX)
export CAIRN_DATA_DIR=$work/data CAIRN_LISTEN=127.0.0.1:$port CAIRN_LOG_LEVEL=warn
export CAIRN_MAX_FILE_BYTES=$size CAIRN_MAX_SUBMISSION_BYTES=$((size * 2))
mkdir -p "$CAIRN_DATA_DIR"
head -c 32 /dev/urandom > "$CAIRN_DATA_DIR/kek.key"
chmod 600 "$CAIRN_DATA_DIR/kek.key"
server=
cleanup() {
  [[ -n "$server" ]] && { kill "$server" 2>/dev/null; wait "$server" 2>/dev/null || true; }
  rm -rf "$work"
}
trap cleanup EXIT

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

echo "bench: writing a $size-byte evidence file (text, so libmagic accepts it as a document)"
# yes ends by SIGPIPE when head has enough, which pipefail would count as a failure.
(set +o pipefail
 yes "Week three: the students revised their drafts after written feedback on process." |
   head -c "$size" > "$work/evidence.txt")
sync

"$build/cairn" seed-demo > "$work/seed.log" 2>&1
"$build/cairn" serve > "$work/server.log" 2>&1 &
server=$!
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done

# A demo educator's API token and enrolment, through the public API.
read -r token enrolment < <(python3 - "$port" <<'PY'
import sys
sys.path.insert(0, "tests/e2e")
import cairn_process as cp

class Server:
    def __init__(self, port):
        self.port = port
    url = cp.Cairn.url
    request = cp.Cairn.request

loop = cp.Loop(Server(int(sys.argv[1])))
educator = "priya.natarajan@riverbend.example.org"
mc = loop.micro_credential("Growth Mindset Feedback")
print(loop.as_(educator).token, loop.enrol(educator, mc["id"])["id"])
PY
)
b64() { printf '%s' "$1" | base64 -w0; }
url=http://127.0.0.1:$port
location=$(curl -fsS -o /dev/null -D - -X POST "$url/api/v1/uploads" \
  -H "Authorization: Bearer $token" -H "Tus-Resumable: 1.0.0" -H "Upload-Length: $size" \
  -H "Upload-Metadata: enrolment $(b64 "$enrolment"),filename $(b64 evidence.txt)" |
  awk -F': ' 'tolower($1) == "location" { sub(/\r$/, "", $2); print $2 }')
[[ -n "$location" ]] || { echo "bench: tus creation failed" >&2; exit 1; }
rss_before=$(awk '/VmHWM/ {print $2}' "/proc/$server/status")
echo 5 > "/proc/$server/clear_refs"  # restart VmHWM from the current RSS
rss_start=$(awk '/VmRSS/ {print $2}' "/proc/$server/status")

echo "bench: uploading with one streaming PATCH"
start=$(now)
status=$(curl -sS -o "$work/patch.body" -D "$work/patch.headers" -w '%{http_code}' -X PATCH \
  -T "$work/evidence.txt" "$url$location" -H "Authorization: Bearer $token" \
  -H "Tus-Resumable: 1.0.0" -H "Upload-Offset: 0" -H "Expect:" \
  -H "Content-Type: application/offset+octet-stream")
end=$(now)
[[ "$status" == 204 ]] || { echo "bench: PATCH answered $status: $(cat "$work/patch.body")" >&2; exit 1; }
file_id=$(awk -F': ' 'tolower($1) == "cairn-file-id" { sub(/\r$/, "", $2); print $2 }' "$work/patch.headers")
upload_s=$(secs "$start" "$end")
rss_kb=$(awk '/VmHWM/ {print $2}' "/proc/$server/status")
stored=$(curl -fsS "$url/api/v1/files/$file_id" -H "Authorization: Bearer $token" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["sha256"])')

echo "bench: cp + sha256sum + sync of the same file"
start=$(now)
cp "$work/evidence.txt" "$work/copy.txt"
expected=$(sha256sum "$work/copy.txt" | cut -d' ' -f1)
sync
end=$(now)
base_s=$(secs "$start" "$end")
[[ "$stored" == "$expected" ]] || { echo "bench: stored sha256 $stored != $expected" >&2; exit 1; }

mib=$(awk -v s="$size" 'BEGIN { printf "%.0f", s / 1048576 }')
ratio=$(awk -v u="$upload_s" -v b="$base_s" 'BEGIN { printf "%.2f", b / u }')
rss_mb=$(awk -v k="$rss_kb" 'BEGIN { printf "%.1f", k / 1024 }')
echo
printf '| measure | value |\n|---|---:|\n'
printf '| file | %s MiB |\n' "$mib"
printf '| tus upload (one PATCH, fsync, hash, sniff, blob) | %s s (%s MiB/s) |\n' "$upload_s" \
  "$(awk -v m="$mib" -v s="$upload_s" 'BEGIN { printf "%.0f", m / s }')"
printf '| cp + sha256sum + sync | %s s (%s MiB/s) |\n' "$base_s" \
  "$(awk -v m="$mib" -v s="$base_s" 'BEGIN { printf "%.0f", m / s }')"
printf '| throughput ratio (upload / baseline) | %s |\n' "$ratio"
printf '| server peak RSS during the upload (VmHWM) | %s MB (RSS %s MB when it began) |\n' "$rss_mb" \
  "$(awk -v k="$rss_start" 'BEGIN { printf "%.1f", k / 1024 }')"
printf '| server peak RSS before, incl. Argon2id sign-in | %s MB |\n' \
  "$(awk -v k="$rss_before" 'BEGIN { printf "%.1f", k / 1024 }')"
echo
echo "target: peak RSS during the upload < 64 MB, throughput ratio >= 0.5"
awk -v r="$ratio" -v m="$rss_mb" 'BEGIN { ok = (r >= 0.5 && m < 64); printf "result: ratio %.2f, peak RSS %.1f MB during the upload: %s\n", r, m, ok ? "MET" : "NOT MET"; exit ok ? 0 : 3 }'
