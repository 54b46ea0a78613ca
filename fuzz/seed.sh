#!/usr/bin/env bash
# Seeds fuzz/corpus/<target>/ with small CSVs: every byte form the tests use, each behind
# a few first bytes (the targets read the first byte as chunk size / encoding / head).
# The corpus is not committed (git-ignored); run this once before the first fuzzing run.
set -eu
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
seed() { n=$((n + 1)); printf "$1" > "$tmp/$n"; }
seed 'a,b,c\r\n1,2,3\r\n'
seed 'id\tq\n1\tyes\n2\tno\n'
seed 'a;b\r1;2\r3;4\r'
seed '\357\273\277ID,\xe6\x80\xa7\xe5\x88\xa5\r\n001,\xe5\xa5\xb3\xe6\x80\xa7\r\n'
seed 'id,\xe6\x84\x9f\xe6\x83\xb3\n1,"a, ""b""\nc"\n2,\n'
seed 'a,b,,\r\n1,2,,\r\n,,,\r\n3\r\n4,5,6,7\r\n,,,\r\n'
seed 'code,zip\n="001",0123\n'
seed 'a,b\n\n\n1,2\n'
seed 'x,x,,x\n1,2,3,4\n'
seed '\377\376a\000,\000b\000\r\000\n\0001\000,\0002\000\r\000\n\000'
seed '\376\377\000a\000\t\000b\000\n\0001\000\t\0002\000\n'
seed 'a,b\r\n\201\140,\373\374\r\n\207\100,\356\340\r\n'
seed 'a,b\r\n\244\242,\244\244\r\n'
seed 'a,b\n"open quote\n1,2\n'
seed '"\xe3\x82\xbf\xe3\x82\xa4\xe3\x83\xa0\xe3\x82\xb9\xe3\x82\xbf\xe3\x83\xb3\xe3\x83\x97","q"\r\n"2024/12/01 9:30:00","a, b, c"\r\n'
seed 'ID,q\r\n1,a;b;\r\n2,c;\r\n'
cp ../tests/fixtures/excel_cp932.csv "$tmp/fixture"
for target in read_csv read_csv_forced read_csv_stream read_any; do
    mkdir -p "corpus/$target"
    for f in "$tmp"/*; do
        for first in '\000' '\005' '\017' '\041' '\100' '\377'; do
            name="corpus/$target/seed-$(basename "$f")-$(printf "$first" | od -An -tu1 | tr -d ' ')"
            { printf "$first"; cat "$f"; } > "$name"
        done
    done
done
echo "seeded $(ls "$tmp" | wc -l) files x 6 first bytes into corpus/{read_csv,read_csv_forced,read_csv_stream,read_any}"
