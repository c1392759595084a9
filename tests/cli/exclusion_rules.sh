#!/bin/sh
# The exclusion rules of docs/job-format.md ("Exclusion rules"), run as the
# doc prints them over two municipalities: a rule on the age at the letter
# date, one on 国保喪失年月日, key lists by 被保険者番号 (written spaced, as
# in the annex) and by KDB個人番号.  Every row ends rendered or excluded by
# a named rule, counted per reason and municipality in summary.txt and
# summary.json, and listed with its rule in excluded.csv.
. "$(dirname "$0")/../lib/common.sh"
cd "$WORK"
awk '/<!-- exclusion-example -->/ {on = 1; next} on && /^```yaml/ {next} on && /^```/ {exit} on' \
  "$TEGAMI_SRC/docs/job-format.md" >job.yaml
grep -q '^kind: job' job.yaml || fail "the example is not found in docs/job-format.md"
ln -s "$TEGAMI_SRC/layouts" layouts
H='被保険者記号,被保険者番号,KDB個人番号,氏名,氏名カナ,性別,年齢,生年月日,郵便番号,住所,収縮期血圧,拡張期血圧,空腹時血糖,HbA1c,LDLコレステロール,eGFR,国保取得年月日,国保喪失年月日'
row() { # number, 被保険者番号, age, birth, 喪失
  printf '9 9,%s,%011d,見本　%d郎,ﾐﾎﾝ ﾀﾛｳ,男,%s,%s,252-0028,神奈川県座間市入谷東1丁目%d番1号,140,88,101,5.7,197,55.0,4050718,%s\r\n' \
    "$2" "$((14000000000 + $1))" "$1" "$3" "$4" "$1" "$5"
}
{
  printf '%s\r\n' "$H"
  row 1 '1 2 3 4 5 6 7' 70 S31.05.02 ''
  row 2 '8 9 0 1 2 3 4' 75 S26.04.01 ''       # 75 on the letter date
  row 3 '5 6 7 8 9 0 1' 70 S31.05.02 4080930  # left the 国保
  row 4 '9 0 1 2 3 4 5' 70 S31.05.02 ''       # in hospital (the key list)
  row 5 '2 3 4 5 6 7 8' 74 S26.11.20 ''       # 74 on the letter date: a letter
} >zama-highrisk.csv
printf '被保険者番号,理由\r\n9012345,入院中\r\n' >zama-nyuin.csv
{
  printf '%s\r\n' "$H"
  row 11 '1 1 1 1 1 1 1' 70 S31.05.02 ''
  row 12 '2 2 2 2 2 2 2' 70 S31.05.02 ''
} >atsugi-highrisk.csv
printf 'KDB個人番号\r\n14000000012\r\n' >atsugi-shibou-tenshutsu.csv

expect_exit 0 "$TEGAMI" run job.yaml -o out --no-pdf
s=out/summary.txt
grep -q '^letters rendered *3$' $s || { cat $s >&2; fail "three letters expected"; }
grep -q '^excluded *4' $s || { cat $s >&2; fail "four exclusions expected"; }
for want in '14216 75歳到達: 1' '14216 国保喪失: 1' '14216 入院・施設入所: 1' '14212 死亡・転出: 1'; do
  grep -q "by rule $want\$" $s || { cat $s >&2; fail "summary lacks: $want"; }
done
grep -q '^rejected *0' $s || { cat $s >&2; fail "nobody is rejected"; }
grep -q '"municipality": "14212", "reason": "死亡・転出", "excluded": 1' out/summary.json \
  || { cat out/summary.json >&2; fail "summary.json lacks the per-municipality count"; }
grep -q '"75歳到達": 1' out/summary.json || fail "summary.json lacks the per-list count"
for want in 'zama-highrisk.csv,3,14000000002,75歳到達' 'zama-highrisk.csv,4,14000000003,国保喪失' \
  'zama-highrisk.csv,5,14000000004,入院・施設入所' 'atsugi-highrisk.csv,3,14000000012,死亡・転出'; do
  grep -q "$want" out/excluded.csv || { cat out/excluded.csv >&2; fail "excluded.csv lacks $want"; }
done
grep -q '入院中' out/excluded.csv out/summary.json && fail "the key list's own reason text is printed"

# a rule naming a column the list lacks is a job error, in the job file
sed 's/when: 国保喪失年月日/when: 国保消失年月日/' job.yaml >bad.yaml
expect_exit 3 "$TEGAMI" check bad.yaml
grep -q "^bad.yaml:.*unknown field '国保消失年月日'" "$WORK/last.err" \
  || { cat "$WORK/last.err" >&2; fail "the misspelt column is not located in the job"; }
grep -q "did you mean '国保喪失年月日'" "$WORK/last.err" || fail "no suggestion"
pass "exclusion rules: by age at the letter date, by date column, by key lists; counted"
