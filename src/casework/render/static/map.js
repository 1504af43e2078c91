/* casework's maps: the map page (#map: every located record's points from the public
   data/map-points.json, clustered, filtered by category/severity/year) and a located
   record's small map (#record-map: its own points, given in data-points).

   Everything comes from the site itself: Leaflet, leaflet.markercluster, topojson-client and
   the Natural Earth country outlines are vendored under static/ (scripts/vendor_map.sh). The
   outlines are the basemap, so a map works with no tile server; with casework.toml's [map]
   tiles, those tiles are drawn over them. The map is keyboard-operable (Leaflet: arrow keys
   pan, +/- zoom; markers are focusable, Enter opens a point's link); the page's list of
   records is the path for anyone the map does not serve. */
(function () {
  "use strict";

  function text(tag, value, className) {
    var node = document.createElement(tag);
    node.textContent = value;
    if (className) node.className = className;
    return node;
  }

  function escapeHtml(value) {
    var node = document.createElement("span");
    node.textContent = value;
    return node.innerHTML;
  }

  function unwrap(geometry) {
    var polygons = geometry.type === "Polygon" ? [geometry.coordinates] : geometry.coordinates;
    polygons.forEach(function (polygon) {
      polygon.forEach(function (ring) {
        for (var i = 1; i < ring.length; i++) {
          var jump = ring[i][0] - ring[i - 1][0];
          if (jump > 180) ring[i][0] -= 360;
          else if (jump < -180) ring[i][0] += 360;
        }
      });
    });
  }

  function baseMap(el) {
    var map = L.map(el, { keyboard: true, worldCopyJump: true, minZoom: 1, maxZoom: 18 });
    map.attributionControl.setPrefix(false);
    map.createPane("basemap");
    map.getPane("basemap").style.zIndex = 150; // under tiles (200), markers and popups
    map.setView([20, 0], 2);
    var outlines = fetch(el.dataset.base + "static/countries-110m.json")
      .then(function (answer) { return answer.json(); })
      .then(function (topology) {
        var countries = topojson.feature(topology, topology.objects.countries);
        // Antarctica is left out, and rings that cross the antimeridian (Russia, Fiji) are
        // unwrapped: on a flat map their jump from +180 to -180 would be drawn as a line
        // across the world.
        countries.features = countries.features.filter(function (f) { return f.id !== "010"; });
        countries.features.forEach(function (f) { unwrap(f.geometry); });
        L.geoJSON(countries, {
          pane: "basemap",
          interactive: false,
          style: { color: "#7d8791", weight: 0.7, fillColor: "#f4f1ea", fillOpacity: 1 }
        }).addTo(map);
        map.attributionControl.addAttribution("Natural Earth");
      });
    if (el.dataset.tiles) {
      // The attribution is casework.toml's text: shown as text, never as markup.
      L.tileLayer(el.dataset.tiles, {
        attribution: escapeHtml(el.dataset.attribution || ""),
        maxZoom: 18
      }).addTo(map);
    }
    return { map: map, outlines: outlines };
  }

  // One icon for every point; a point's popup is made when it is opened (100,000 popups made
  // up front would cost seconds).
  var icon = null;

  function point(lat, lon, title, href, detail) {
    icon = icon || L.divIcon({ className: "map-point", iconSize: [14, 14] });
    var marker = L.marker([lat, lon], { icon: icon, title: title, alt: title, keyboard: true });
    marker.info = { title: title, href: href, detail: detail };
    return marker;
  }

  function popupOf(info) {
    var box = document.createElement("div");
    box.className = "map-popup";
    if (info.href) {
      var link = text("a", info.title);
      link.href = info.href;
      box.appendChild(link);
    } else {
      box.appendChild(text("strong", info.title));
    }
    if (info.detail) box.appendChild(text("div", info.detail, "small"));
    return box;
  }

  function openPopup(map, marker) {
    L.popup({ offset: [0, -4] }).setLatLng(marker.getLatLng()).setContent(popupOf(marker.info)).openOn(map);
  }

  function recordMap(el) {
    var made = baseMap(el);
    var points = JSON.parse(el.dataset.points);
    var bounds = [];
    points.forEach(function (p) {
      var marker = point(p[0], p[1], p[2], null, null).addTo(made.map);
      marker.on("click", function () { openPopup(made.map, marker); });
      marker.on("keypress", function (event) {
        if (event.originalEvent.keyCode === 13) openPopup(made.map, marker);
      });
      bounds.push([p[0], p[1]]);
    });
    made.map.fitBounds(bounds, { maxZoom: 6, padding: [30, 30] });
    made.outlines.then(function () { el.dataset.state = "ready"; });
  }

  function pageMap(el) {
    var made = baseMap(el);
    var map = made.map;
    var status = document.getElementById("map-status");
    var form = document.getElementById("map-filters");
    var clusters = L.markerClusterGroup({ chunkedLoading: true, showCoverageOnHover: false });
    map.addLayer(clusters);
    clusters.on("click", function (event) {
      if (event.layer.info) openPopup(map, event.layer); // a cluster zooms in instead
    });
    clusters.on("keypress", function (event) {
      if (event.originalEvent.keyCode === 13 && event.layer.info) openPopup(map, event.layer);
    });
    var all = [];
    // data/map-points.json (publish/map_points.py): the public GeoJSON's points in columns.
    var data = fetch(el.dataset.mapPoints)
      .then(function (answer) { return answer.json(); })
      .then(function (d) {
        var at = 0;
        d.slug.forEach(function (slug, r) {
          var category = d.category[d.categoryIndex[r]];
          var severity = d.severity[d.severityIndex[r]];
          var date = d.date[r];
          var href = el.dataset.base + "incident/" + encodeURIComponent(slug) + "/";
          var about = date + " · " + category[1] + " · " + severity[1];
          for (var end = at + d.points[r]; at < end; at++) {
            var where = d.place[d.placeIndex[at]];
            var marker = point(d.lat[at], d.lon[at], d.title[r], href,
              about + (where ? " · " + where : ""));
            all.push({ marker: marker, category: category[0], severity: severity[0], year: date.slice(0, 4) });
          }
        });
      });

    function show() {
      var category = form.elements.category.value;
      var severity = form.elements.severity.value;
      var year = form.elements.year.value;
      var shown = all.filter(function (item) {
        return (!category || item.category === category) &&
          (!severity || item.severity === severity) &&
          (!year || item.year === year);
      }).map(function (item) { return item.marker; });
      el.dataset.state = "loading";
      // While a chunked add runs, the filters wait: a new one would race the old one's chunks.
      Array.prototype.forEach.call(form.elements, function (select) { select.disabled = true; });
      var done = function () {
        Array.prototype.forEach.call(form.elements, function (select) { select.disabled = false; });
        el.dataset.shown = String(shown.length);
        el.dataset.drawnAt = String(Math.round(performance.now())); // benchmarks/map_page.py
        el.dataset.state = "ready";
        status.textContent = shown.length + " point" + (shown.length === 1 ? "" : "s") + " on the map.";
      };
      clusters.clearLayers();
      if (shown.length === 0) {
        done();
        return;
      }
      // Called after each chunk; the clusters of the last chunk are drawn right after that
      // call returns, so "ready" is set on the next turn.
      clusters.options.chunkProgress = function (processed, total) {
        if (processed === total) setTimeout(done, 0);
      };
      clusters.addLayers(shown);
    }

    Promise.all([data, made.outlines]).then(function () {
      form.hidden = false;
      form.addEventListener("change", show);
      show();
    }).catch(function () {
      status.textContent = "The map could not be drawn; the list below holds every located record.";
    });
  }

  function start() {
    if (!window.L) return;
    var page = document.getElementById("map");
    if (page) pageMap(page);
    var small = document.getElementById("record-map");
    if (small) recordMap(small);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
