#!/bin/sh
# The catalogs of the pages' own words (README, "Translations"):
#   scripts/translations.sh             extract the marked strings into messages.pot, merge them
#                                       into every language's casework.po, compile the .mo files
#   scripts/translations.sh init LANG   start a new language's casework.po from messages.pot
# Run from the repository's root with the virtualenv's pybabel on PATH (or PYBABEL=...).
# Translate the new or changed (fuzzy) entries of each .po, then run it again to compile.
set -eu
PYBABEL=${PYBABEL:-pybabel}
LOCALE=src/casework/locale
POT=$LOCALE/messages.pot

"$PYBABEL" extract -F "$LOCALE/babel.cfg" -o "$POT" \
    --no-location --sort-output --project=casework --copyright-holder="casework contributors" \
    -k N_ -k Nn_:1,2 -k Np_:1c,2 -k gettext:2 -k plural:2,3 \
    src/casework/render src/casework/web src/casework/model src/casework/editing \
    src/casework/store/accounts.py src/casework/ingest/fetch.py

if [ "${1:-}" = init ]; then
    "$PYBABEL" init -D casework -i "$POT" -d "$LOCALE" -l "$2"
    exit
fi
for po in "$LOCALE"/*/LC_MESSAGES/casework.po; do
    language=$(basename "$(dirname "$(dirname "$po")")")
    "$PYBABEL" update -D casework -i "$POT" -d "$LOCALE" -l "$language" \
        --no-wrap --ignore-obsolete --ignore-pot-creation-date
done
# --statistics: how much of each catalog is translated; the tests refuse a catalog with gaps.
"$PYBABEL" compile -D casework -d "$LOCALE" --statistics
