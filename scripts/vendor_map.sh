#!/bin/sh
# Vendor the map's browser code and basemap into src/casework/render/static/, from the npm
# registry's tarballs, each checked against the SHA-256 pinned here. The site fetches nothing
# at run time: these files ship in the Python package and are served from the site itself.
# Run from the repository root; re-running gives byte-identical files.
#
#   leaflet 1.9.4               BSD-2-Clause  the map itself
#   leaflet.markercluster 1.5.3 MIT           clustering (100,000 points)
#   topojson-client 3.1.0       ISC           TopoJSON -> GeoJSON in the browser
#   world-atlas 2.0.2           ISC           Natural Earth 110m country outlines (public domain)
set -eu
REGISTRY=https://registry.npmjs.org
OUT=src/casework/render/static
. scripts/npm_tarballs.sh  # TMP and fetch()

fetch leaflet 1.9.4 84c65a256e50657896f54c33bd857b6849ebe94c817803be818bf32a3dde0b77
fetch leaflet.markercluster 1.5.3 fc6b0b1d00b6c708ae54e43ee4a11ac345e41660e19f0a570190bb35babb1a1c
fetch topojson-client 3.1.0 889fadb422f6236d0f8337a236ce6499f258b75e44b81733b13bd971067322bf
fetch world-atlas 2.0.2 032e7765f2ce00edaeafec23ff22bc3b77e42987c257da944cc585b452c05b97

# The static folder is flat (the build copies its files, not folders). Leaflet's CSS refers
# to images/ only for its default marker and layers control, which the map does not use.
cp "$TMP/leaflet/package/dist/leaflet.js" "$OUT/leaflet.js"
cp "$TMP/leaflet/package/dist/leaflet.css" "$OUT/leaflet.css"
cp "$TMP/leaflet/package/LICENSE" "$OUT/leaflet.LICENSE.txt"
cp "$TMP/leaflet.markercluster/package/dist/leaflet.markercluster.js" "$OUT/leaflet.markercluster.js"
cp "$TMP/leaflet.markercluster/package/dist/MarkerCluster.css" "$OUT/MarkerCluster.css"
cp "$TMP/leaflet.markercluster/package/dist/MarkerCluster.Default.css" "$OUT/MarkerCluster.Default.css"
cp "$TMP/leaflet.markercluster/package/MIT-LICENCE.txt" "$OUT/leaflet.markercluster.LICENSE.txt"
cp "$TMP/topojson-client/package/dist/topojson-client.min.js" "$OUT/topojson-client.min.js"
cp "$TMP/topojson-client/package/LICENSE" "$OUT/topojson-client.LICENSE.txt"
cp "$TMP/world-atlas/package/countries-110m.json" "$OUT/countries-110m.json"
cp "$TMP/world-atlas/package/LICENSE" "$OUT/world-atlas.LICENSE.txt"

chmod 644 "$OUT"/*
cd "$OUT" && sha256sum leaflet.js leaflet.css leaflet.markercluster.js MarkerCluster.css \
    MarkerCluster.Default.css topojson-client.min.js countries-110m.json
