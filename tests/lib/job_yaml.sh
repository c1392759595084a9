# tests/lib/job_yaml.sh — the one test job text (sourced by tests/lib/common.sh
# and bench/run.sh, not run).
#
# job_yaml ID FILE TYPE DESIGN [FILE TYPE DESIGN]...: on stdout, a job dated
# 2026-10-01 for the fictional municipality of the samples (見本市, 14999, a
# minimal sender profile and clinic_url) with these lists.  JOB_TITLE adds a
# title, JOB_EXCLUDE the municipality's exclusion list.
job_yaml() {
  printf 'kind: job\nid: %s\n' "$1"
  shift
  if [ -n "${JOB_TITLE:-}" ]; then printf 'title: %s\n' "$JOB_TITLE"; fi
  printf 'date: 2026-10-01\nmunicipalities:\n  - id: "14999"\n    name: 見本市\n'
  printf '    sender: {department: 保険年金課, section: 国保健康係, phone: 046-000-0000, hours: 平日}\n'
  printf '    values: {clinic_url: "https://example.jp/clinics"}\n'
  if [ -n "${JOB_EXCLUDE:-}" ]; then printf '    exclude: %s\n' "$JOB_EXCLUDE"; fi
  printf '    lists:\n'
  while [ $# -ge 3 ]; do
    printf '      - file: %s\n        type: %s\n        design: %s\n' "$1" "$2" "$3"
    shift 3
  done
}
