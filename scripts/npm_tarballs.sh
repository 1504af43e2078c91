# Sourced by the vendor_*.sh scripts: a scratch folder removed on exit, and fetch NAME VERSION
# SHA256, which downloads $REGISTRY/NAME/-/NAME-VERSION.tgz, refuses it unless its SHA-256 is
# the one pinned, and unpacks it into $TMP/NAME (its files under $TMP/NAME/package/).
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

fetch() { # name version sha256
    tarball="$TMP/$1-$2.tgz"
    curl -sSf -o "$tarball" "$REGISTRY/$1/-/$1-$2.tgz"
    echo "$3  $tarball" | sha256sum -c --quiet -
    mkdir -p "$TMP/$1"
    tar xzf "$tarball" -C "$TMP/$1"
}
