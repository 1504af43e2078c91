#!/bin/sh
# Vendor the site's two typefaces into src/casework/render/static/, from the npm registry's
# @fontsource-variable tarballs, each checked against the SHA-256 pinned here. Variable fonts
# (one file covers every weight), WOFF2 only, the latin and latin-ext subsets only; style.css
# declares them with unicode-range, so a page downloads only the subsets its text uses.
# Both are under the SIL Open Font License 1.1; the licence ships beside the files.
# Run from the repository root; re-running gives byte-identical files.
#
#   @fontsource-variable/source-serif-4 5.3.1  OFL-1.1  body text (roman and italic)
#   @fontsource-variable/inter 5.3.0           OFL-1.1  headings, labels, navigation
set -eu
REGISTRY=https://registry.npmjs.org/@fontsource-variable
OUT=src/casework/render/static
. scripts/npm_tarballs.sh  # TMP and fetch()

fetch source-serif-4 5.3.1 8c452853c74be1e43e9fbfe76321c26f4678a2d431e93209ff1d9faec03fd96f
fetch inter 5.3.0 d26710dd38e7217484a1d47ee76c024977ec550548876f26d06ed1844af09a14

for subset in latin latin-ext; do
    for style in normal italic; do
        cp "$TMP/source-serif-4/package/files/source-serif-4-$subset-wght-$style.woff2" \
            "$OUT/source-serif-4-$subset-wght-$style.woff2"
    done
    cp "$TMP/inter/package/files/inter-$subset-wght-normal.woff2" "$OUT/inter-$subset-wght-normal.woff2"
done
cp "$TMP/source-serif-4/package/LICENSE" "$OUT/source-serif-4.LICENSE.txt"
cp "$TMP/inter/package/LICENSE" "$OUT/inter.LICENSE.txt"

chmod 644 "$OUT"/*
cd "$OUT" && sha256sum source-serif-4-*.woff2 inter-*.woff2
