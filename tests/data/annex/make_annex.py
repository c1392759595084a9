#!/usr/bin/env python3
"""make_annex.py — the annex lists of the specification, retyped.

Writes the two 対象者リスト of the spec's annex (健診ハイリスク者, 治療中断者)
for two municipalities (座間市, 秦野市) as a KDB export delivers them: CP932,
tab-separated, CRLF; the title line, the 市町村名/該当者/作成 line(s) (one
line of cells, one cell with spaces, or one item a line as the spec prints
the dropout list), the grouped header over three rows, 被保険者記号 "9 9",
digits spaced out in 被保険者番号, half-width kana with the sex after it,
S-dates of birth, 7-digit era dates, ○ marks — and no 郵便番号 column.
Ages are as of the lists' date (令和07年09月).  People are synthetic.

Also writes expected.csv: each person's KDB個人番号 and the postal code of
their address (checked by hand against KEN_ALL), the key list of exclusions
and the municipality's postal overrides (hatano-postal.csv).  Run it from this folder; the files
are committed, so the tests do not need Python.
"""

HR_TITLE = "神奈川県循環器病CKD重症化予防事業の抽出基準による「健診ハイリスク者」対象者リスト"
DO_TITLE = "神奈川県循環器病CKD重症化予防事業の抽出基準による「治療中断者」対象者リスト"
LEGEND1 = "「○」受診 「●」受診かつ特定保健指導利用 「空欄」は受診なし"
LEGEND2 = "「○」県の定める 傷病で受診"

HR_HEADER = [
    ["被保険者記号", "被保険者番号", "KDB個人番号", "氏名", "氏名カナ", "性別", "年齢", "生年月日", "住所",
     "特定健診受診歴", "", "", "", "医療機関受診歴", "", "国保取得年月日", "国保喪失年月日",
     "当年度特定健診結果", "", "", "", "", "", "過去の該当状況", "", ""],
    [""] * 9 + [LEGEND1, "", "", "", LEGEND2, "", "", "",
                "収縮期血圧 (mmHg)", "拡張期血圧 (mmHg)", "空腹時血糖 (mg/dl)", "HbA1c (%)",
                "LDLコレステロール (mg/dl)", "eGFR (ml/min/1.73m2)", "R06", "R05", "R04"],
    [""] * 9 + ["R06", "R05", "R04", "R03", "がん", "精神"] + [""] * 11,
]
DO_HEADER = [
    ["被保険者記号", "被保険者番号", "KDB個人番号", "氏名", "氏名カナ", "性別", "年齢", "生年月日", "住所",
     "特定健診受診歴", "", "", "", "医療機関受診歴", "", "国保取得年月日",
     "1年前 対象疾病 受診状況", "", "2年前 対象疾病 受診状況", "", "3年前 対象疾病 受診状況", ""],
    [""] * 9 + [LEGEND1, "", "", "", LEGEND2, "", "", "", "", "", "", "", ""],
    [""] * 9 + ["R07", "R06", "R05", "R04", "がん", "精神", ""] +
    ["高血圧症", "糖尿病性 を除く 腎症"] * 3,
]

def spaced(digits):
    return " ".join(digits)

# (key, 被保険者番号, 氏名, カナ, 性別, 年齢 at 2025-09, 生年月日, 住所, postal code)
ZAMA_HR = [
    ("14005555555", "9012345", "見本 一郎", "ﾐﾎﾝ ｲﾁﾛｳ", "男", 69, "S31.05.02",
     "神奈川県座間市入谷東1丁目1番地の1", "252-0028"),
    ("14006666666", "6789012", "髙野 次郎", "ﾀｶﾉ ｼﾞﾛｳ", "男", 72, "S27.09.20",
     "神奈川県座間市相模が丘一丁目2番地の3", "252-0001"),
    ("14007777777", "1112223", "試験 花子", "ｼｹﾝ ﾊﾅｺ", "女", 69, "S30.10.13",
     "座間市ひばりが丘３丁目５番８号", "252-0003"),
]
HATANO_HR = [
    ("14105555555", "9012346", "見本 三郎", "ﾐﾎﾝ ｻﾌﾞﾛｳ", "男", 68, "S32.01.07",
     "神奈川県秦野市鶴巻北 1番地の1", "257-0001"),
    ("14106666666", "6789013", "試験 四郎", "ｼｹﾝ ｼﾛｳ", "男", 74, "S26.03.31",
     "神奈川県秦野市今泉台2丁目3番4号", "257-0018"),
    # 栃窪 has two postal codes and the address does not say which: settled
    # by the municipality's postal overrides file
    ("14107777777", "3334445", "試験 八子", "ｼｹﾝ ﾔｴｺ", "女", 71, "S29.02.11",
     "神奈川県秦野市栃窪 1番地の 1", "257-0016"),
]
ZAMA_DO = [
    ("14001111111", "1234567", "見本 花子", "ﾐﾎﾝ ﾊﾅｺ", "女", 69, "S30.10.13",
     "神奈川県座間市栗原 1番地の 1", "252-0013"),
    ("14002222222", "8901234", "試験 二郎", "ｼｹﾝ ｼﾞﾛｳ", "男", 70, "S30.05.05",
     "神奈川県座間市入谷西2丁目1番地の 2", "252-0029"),
    ("14003333333", "5678901", "﨑山 三子", "ｻｷﾔﾏ ﾐﾂｺ", "女", 70, "S29.12.05",
     "神奈川県座間市さがみ野1丁目1番地の 3", "252-0005"),
    ("14004444444", "2345678", "見本 四郎", "ﾐﾎﾝ ｼﾛｳ", "男", 53, "S47.07.24",
     # no prefecture nor city: the municipality (the job's name: 座間市) is the hint
     "東原1丁目1番地の 4", "252-0004"),
]
HATANO_DO = [
    ("14101111111", "1234568", "見本 五郎", "ﾐﾎﾝ ｺﾞﾛｳ", "男", 58, "S42.01.07",
     "神奈川県秦野市南矢名1丁目1番地の 5", "257-0003"),
    ("14102222222", "8901235", "試験 六子", "ｼｹﾝ ﾑﾂｺ", "女", 73, "S27.01.15",
     "神奈川県秦野市曽屋 1番地の 1", "257-0031"),
    # excluded by the municipality's key list (入院)
    ("14103333333", "5678902", "見本 七郎", "ﾐﾎﾝ ｼﾁﾛｳ", "男", 66, "S34.06.01",
     "神奈川県秦野市室町 2番地の 2", "257-0033"),
]
# the spec's dropout marks, one pattern a row (1年前 高/腎, 2年前 高/腎, 3年前 高/腎)
DO_MARKS = [
    ["○", "", "", "", "", ""],
    ["", "○", "", "", "", ""],
    ["○", "○", "○", "", "○", ""],
    ["", "○", "", "", "", ""],
    ["", "", "○", "", "", ""],
    ["", "", "", "", "○", ""],
    ["", "", "", "○", "", "○"],
]
DO_ACQUIRED = ["4291226", "4221021", "4030305", "4160802", "4290601", "4260401", "4100401"]
HR_RESULTS = [
    ("4050718", ["140.0", "88.0", "101.0", "5.7", "197", "59.00"], ["○", "○", "○", "○"], ["○", "", ""]),
    ("4250601", ["152.0", "79.0", "101.0", "5.6", "150", "57.60"], ["○", "○", "○", "○"], ["○", "", ""]),
    ("3550401", ["132", "86", "98", "6.1", "125", "48.2"], ["", "○", "", "●"], ["○", "○", ""]),
    ("4100401", ["135.0", "85.0", "100.0", "5.8", "160", "44.10"], ["○", "", "○", ""], ["", "", ""]),
    ("4300101", ["146.0", "92.0", "110.0", "5.9", "131", "52.30"], ["○", "○", "", ""], ["○", "", ""]),
]

def person(p):
    key, no, name, kana, sex, age, birth, addr, _ = p
    return ["9 9", spaced(no), key, name.replace(" ", "\u3000"), kana, sex, str(age), birth, addr]

def write(path, lines):
    with open(path, "wb") as f:
        for cells in lines:
            f.write(("\t".join(cells) + "\r\n").encode("cp932"))

def pad(cells, n):
    return cells + [""] * (n - len(cells))

def highrisk(path, muni, people, one_cell, start):
    n = len(HR_HEADER[0])
    lines = [pad([HR_TITLE], n), pad([], n)]
    if one_cell:
        lines.append(pad([f"市町村名 {muni} 該当者 {len(people)}人 令和07年09月作成"], n))
    else:
        lines.append(pad(["市町村名", muni, "該当者", f"{len(people)}人", "令和07年09月作成"], n))
    lines.append(pad([], n))
    lines += HR_HEADER
    for i, p in enumerate(people):
        acq, res, visits, past = HR_RESULTS[(start + i) % len(HR_RESULTS)]
        lines.append(person(p) + visits + ["", ""] + [acq, ""] + res + past)
    write(path, lines)

def dropout(path, muni, people, start):
    n = len(DO_HEADER[0])
    lines = [pad([DO_TITLE], n), pad([], n), pad(["市町村名"], n), pad([muni], n), pad([], n),
             pad(["該当者"], n), pad([], n), pad([f"{len(people)}人"], n), pad([], n),
             pad(["令和07年09月作成"], n), pad([], n)]
    lines += DO_HEADER
    for i, p in enumerate(people):
        k = start + i
        lines.append(person(p) + ["", "", "", "", "", ""] + [DO_ACQUIRED[k]] + DO_MARKS[k])
    write(path, lines)

highrisk("zama-highrisk.tsv", "座間市", ZAMA_HR, True, 0)
highrisk("hatano-highrisk.tsv", "秦野市", HATANO_HR, False, 3)
dropout("zama-dropout.tsv", "座間市", ZAMA_DO, 0)
dropout("hatano-dropout.tsv", "秦野市", HATANO_DO, 4)
with open("expected.csv", "w", encoding="utf-8", newline="") as f:
    f.write("KDB個人番号,郵便番号\r\n")
    for p in ZAMA_HR + HATANO_HR + ZAMA_DO + HATANO_DO:
        f.write(f"{p[0]},{p[8]}\r\n")
with open("hatano-postal.csv", "w", encoding="utf-8", newline="") as f:
    f.write("KDB個人番号,郵便番号\r\n14107777777,257-0016\r\n")
with open("hatano-exclude.csv", "w", encoding="utf-8", newline="") as f:
    f.write("KDB個人番号,理由\r\n14103333333,入院\r\n")
