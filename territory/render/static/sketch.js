/* territory: sketch a settlement on the map, price it live, export it as a scenario file.
 * Loaded on pages made with --sketch, after territory.js and the inlined libraries:
 * Leaflet-Geoman (drawing), polygon-clipping (overlay) and GeographicLib (geodesic areas).
 * Every text that comes from data or a reader is written with textContent, never as HTML.
 */
(function () {
  // biome-ignore lint/suspicious/noRedundantUseStrict: the page inlines this as a classic script.
  "use strict";

  var kit = Territory.kit;
  var el = kit.el,
    t = kit.t;
  var CONTROLS = ["russia", "ukraine", "contested", "keep"];
  var RECOGNITIONS = ["none", "de_facto", "de_jure"];
  var FILE = "sketch.geojson";
  // A shape's part of a region smaller than this (km²) is left out, as the rules leave it.
  var MIN_KM2 = 1;

  /* ---------- geometry: polygon-clipping's [lon, lat] multipolygons ---------- */

  function toClip(latlngShape) {
    return latlngShape.map(function (polygon) {
      return polygon.map(function (ring) {
        return ring.map(function (p) {
          return [p.lng, p.lat];
        });
      });
    });
  }

  function bboxOf(multi) {
    var box = [Infinity, Infinity, -Infinity, -Infinity];
    multi.forEach(function (polygon) {
      polygon[0].forEach(function (p) {
        box[0] = Math.min(box[0], p[0]);
        box[1] = Math.min(box[1], p[1]);
        box[2] = Math.max(box[2], p[0]);
        box[3] = Math.max(box[3], p[1]);
      });
    });
    return box;
  }

  function boxesMeet(a, b) {
    return a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3];
  }

  /* Geodesic area (km²) on the WGS84 ellipsoid: GeographicLib, pyproj's algorithm. */
  function areaKm2(multi) {
    var earth = window.geodesic.Geodesic.WGS84,
      total = 0;
    multi.forEach(function (polygon) {
      polygon.forEach(function (ring, k) {
        var measure = earth.Polygon(false);
        var last = ring.length - 1;
        var closed = ring[0][0] === ring[last][0] && ring[0][1] === ring[last][1];
        ring.slice(0, closed ? last : ring.length).forEach(function (p) {
          measure.AddPoint(p[1], p[0]);
        });
        var area = Math.abs(measure.Compute(false, true).area);
        total += k === 0 ? area : -area;
      });
    });
    return total / 1e6;
  }

  function inside(point, multi) {
    return multi.some(function (polygon) {
      var count = 0;
      polygon.forEach(function (ring) {
        for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
          const a = ring[i],
            b = ring[j];
          if (
            a[1] > point[1] !== b[1] > point[1] &&
            point[0] < ((b[0] - a[0]) * (point[1] - a[1])) / (b[1] - a[1]) + a[0]
          ) {
            count++;
          }
        }
      });
      return count % 2 === 1;
    });
  }

  /* ---------- the shapes drawn ---------- */

  function shapeRecord(k, layer, meaning) {
    k.count += 1;
    var shape = {
      name: meaning.name || "shape-" + k.count,
      layer: layer,
      control: CONTROLS.indexOf(meaning.control) >= 0 ? meaning.control : "russia",
      recognition: RECOGNITIONS.indexOf(meaning.recognition) >= 0 ? meaning.recognition : "none",
      demilitarised: meaning.demilitarised === true,
    };
    layer.on("pm:edit pm:dragend pm:markerdragend pm:vertexremoved", function () {
      changed(k);
    });
    k.shapes.push(shape);
    restyle(shape);
    return shape;
  }

  function restyle(shape) {
    var colour = { russia: "#D55E00", ukraine: "#0072B2", contested: "#555555", keep: "#009E73" };
    shape.layer.setStyle({
      color: colour[shape.control],
      weight: 2.5,
      dashArray: shape.demilitarised ? "6 4" : null,
      fillColor: colour[shape.control],
      fillOpacity: 0.25,
    });
  }

  function geometryOf(k, shape) {
    var geometry = shape.layer.toGeoJSON().geometry;
    if (geometry.type === "LineString") {
      return behind(k, geometry.coordinates);
    }
    return geometry.type === "MultiPolygon" ? geometry.coordinates : [geometry.coordinates];
  }

  /* ---------- "up to this line": the ground behind a drawn line ---------- */

  // A frame around Ukraine; a drawn line is carried on to it at both ends, and cuts it in two.
  var FRAME = [21.5, 43.8, 40.8, 52.9];

  /* Where the line, carried on past its end a (from b, the point before it), meets the frame. */
  function toFrame(a, b) {
    var dx = a[0] - b[0],
      dy = a[1] - b[1],
      best = Infinity;
    [
      [dx, FRAME[0] - a[0]],
      [dx, FRAME[2] - a[0]],
      [dy, FRAME[1] - a[1]],
      [dy, FRAME[3] - a[1]],
    ].forEach(function (pair) {
      if (pair[0] !== 0) {
        const step = pair[1] / pair[0];
        if (step > 0 && step < best) {
          best = step;
        }
      }
    });
    var x = Math.min(FRAME[2], Math.max(FRAME[0], a[0] + best * dx));
    var y = Math.min(FRAME[3], Math.max(FRAME[1], a[1] + best * dy));
    return [x, y];
  }

  /* A point on the frame's edge as a distance round it, counter-clockwise from its
     south-west corner (0 to 4). */
  function round(p) {
    if (p[1] === FRAME[1]) {
      return (p[0] - FRAME[0]) / (FRAME[2] - FRAME[0]);
    }
    if (p[0] === FRAME[2]) {
      return 1 + (p[1] - FRAME[1]) / (FRAME[3] - FRAME[1]);
    }
    if (p[1] === FRAME[3]) {
      return 2 + (FRAME[2] - p[0]) / (FRAME[2] - FRAME[0]);
    }
    return 3 + (FRAME[3] - p[1]) / (FRAME[3] - FRAME[1]);
  }

  /* The frame's part on one side of the line: the line, then round the frame from its end
     back to its start, the way round given by step (+1 counter-clockwise, -1 clockwise),
     through the corners on that way. */
  function side(line, step) {
    var corners = [
      [FRAME[0], FRAME[1]],
      [FRAME[2], FRAME[1]],
      [FRAME[2], FRAME[3]],
      [FRAME[0], FRAME[3]],
    ];
    var at = round(line[line.length - 1]),
      to = round(line[0]);
    function ahead(t) {
      return ((((t - at) * step) % 4) + 4) % 4; // how far round from the line's end
    }
    var passed = [0, 1, 2, 3]
      .filter(function (c) {
        return ahead(c) > 0 && ahead(c) < ahead(to);
      })
      .sort(function (a, b) {
        return ahead(a) - ahead(b);
      });
    var ring = line.concat(
      passed.map(function (c) {
        return corners[c];
      }),
    );
    ring.push(line[0]);
    return [[ring]];
  }

  /* The ground behind a drawn line: of the two parts of the frame it cuts, the one where
     Russia holds more. Everything in it up to the line is the shape's. */
  function behind(k, coordinates) {
    var clip = window.polygonClipping;
    var line = coordinates.map(function (p) {
      return [p[0], p[1]];
    });
    if (line.length < 2) {
      return [];
    }
    // Which side Russia holds is judged near the line as drawn (within 0.4 degrees of it):
    // a line along the Donbas front faces the Donbas, not Crimea at the far end.
    var box = bboxOf([[line]]);
    var near = [
      [
        [box[0] - 0.4, box[1] - 0.4],
        [box[2] + 0.4, box[1] - 0.4],
        [box[2] + 0.4, box[3] + 0.4],
        [box[0] - 0.4, box[3] + 0.4],
        [box[0] - 0.4, box[1] - 0.4],
      ],
    ];
    line.unshift(toFrame(line[0], line[1]));
    line.push(toFrame(line[line.length - 1], line[line.length - 2]));
    var held = function (part) {
      var close = clip.intersection(part, [near]);
      return k.regions.reduce(function (sum, region) {
        return region.russia && close.length && boxesMeet(bboxOf(close), region.bbox)
          ? sum + areaKm2(clip.intersection(close, region.russia))
          : sum;
      }, 0);
    };
    var one = side(line, 1),
      other = side(line, -1);
    return held(one) >= held(other) ? one : other;
  }

  /* ---------- the price: km² by region and the towns, against the page's line ---------- */

  function price(k) {
    var clip = window.polygonClipping;
    var drawn = k.shapes.map(function (shape) {
      return geometryOf(k, shape);
    });
    // Later shapes are drawn over earlier ones, as later sub-area rules are.
    var own = drawn.map(function (geometry, i) {
      var later = drawn.slice(i + 1);
      return later.length ? clip.difference.apply(null, [geometry].concat(later)) : geometry;
    });
    var regions = [],
      ground = [],
      changes = [],
      demilitarised = [],
      total = 0;
    var boxes = own.map(function (geometry) {
      return geometry.length ? bboxOf(geometry) : null; // once a shape, not once a region
    });
    k.regions.forEach(function (region) {
      var toRussia = 0,
        toUkraine = 0;
      k.shapes.forEach(function (shape, i) {
        if (!own[i].length || !boxesMeet(boxes[i], region.bbox)) {
          return;
        }
        // One overlay for what changes hands; the whole part only where it is needed.
        var moved = [],
          part = null;
        if (shape.control === "russia" && region.notRussia) {
          moved = clip.intersection(own[i], region.notRussia);
        } else if (shape.control === "ukraine" && region.notUkraine) {
          moved = clip.intersection(own[i], region.notUkraine);
        }
        var movedKm2 = moved.length ? areaKm2(moved) : 0;
        if (movedKm2 < MIN_KM2 || shape.demilitarised) {
          part = clip.intersection(own[i], region.poly); // is the shape in the region at all?
        }
        // Under a km² of a region is a brush of the outline, not part of the settlement
        // (the scenario file's rules ignore it the same way).
        if (movedKm2 < MIN_KM2 && (!part?.length || areaKm2(part) < MIN_KM2)) {
          return;
        }
        if (shape.control === "russia") {
          toRussia += movedKm2;
        } else {
          toUkraine += movedKm2;
        }
        if (movedKm2 >= MIN_KM2) {
          ground.push([moved, shape.control === "russia" ? "to_russia" : "to_ukraine"]);
        }
        shape.regions[region.code] = true;
        region.towns.forEach(function (town) {
          var point = [town[5], town[4]];
          if (moved.length && inside(point, moved)) {
            changes.push({
              town: town,
              change: shape.control === "russia" ? "to_russia" : "to_ukraine",
            });
          }
          if (shape.demilitarised && part && inside(point, part)) {
            demilitarised.push({ town: town });
          }
        });
      });
      if (toRussia > 0 || toUkraine > 0) {
        regions.push({
          region: region.code,
          name: region.name,
          to_russia_km2: toRussia,
          to_ukraine_km2: toUkraine,
        });
        total += toRussia;
      }
    });
    function byPopulation(a, b) {
      return b.town[3] - a.town[3] || (a.town[1] < b.town[1] ? -1 : 1);
    }
    changes.sort(byPopulation);
    demilitarised.sort(byPopulation);
    return {
      regions: regions,
      ground: ground,
      towns: changes.map(function (c) {
        return c.town[1];
      }),
      changes: changes,
      demilitarised: demilitarised,
      total_to_russia_km2: total,
      total_to_ukraine_km2: regions.reduce(function (sum, r) {
        return sum + r.to_ukraine_km2;
      }, 0),
    };
  }

  function summary(k) {
    k.shapes.forEach(function (shape) {
      shape.regions = {};
    });
    k.last = price(k);
    return k.last;
  }

  /* Recompute once a frame, however many edits arrive in it. */
  function changed(k) {
    if (k.frame) {
      return;
    }
    k.frame = requestAnimationFrame(function () {
      k.frame = null;
      summary(k);
      fill(k);
      outline(k);
    });
  }

  /* What changes hands, drawn as the page draws it: the ground passing to Russia or back to
     Ukraine under the sketch, outlined in the change's colour and dashes. */
  function outline(k) {
    var styles = Territory.state(k.map).data?.style?.change;
    if (k.overlay) {
      k.map.removeLayer(k.overlay);
    }
    k.overlay = L.featureGroup();
    (k.last ? k.last.ground : []).forEach(function (pair) {
      var look = styles ? styles[pair[1]] : { color: "#CC79A7", weight: 3, dash: "9 5" };
      L.geoJSON(
        { type: "MultiPolygon", coordinates: pair[0] },
        {
          interactive: false,
          pmIgnore: true,
          style: {
            className: "terr-sketch-moved terr-" + pair[1],
            color: look.color,
            weight: 2,
            dashArray: look.dash,
            fillColor: look.color,
            fillOpacity: 0.3,
          },
        },
      ).addTo(k.overlay);
    });
    k.overlay.addTo(k.map);
  }

  /* ---------- export: a scenario file and its sub-area file ---------- */

  function tomlText(value) {
    return JSON.stringify(String(value)); // a TOML basic string is a JSON string
  }

  function exportFiles(k) {
    summary(k);
    var features = k.shapes.map(function (shape) {
      return {
        type: "Feature",
        properties: {
          name: shape.name,
          control: shape.control,
          recognition: shape.recognition,
          demilitarised: shape.demilitarised,
        },
        // A line exports as the ground behind it: the rule language holds areas.
        geometry:
          shape.layer.toGeoJSON().geometry.type === "LineString"
            ? { type: "MultiPolygon", coordinates: geometryOf(k, shape) }
            : shape.layer.toGeoJSON().geometry,
      };
    });
    var lines = [
      "# A settlement sketched on a territory map, priced against the line of " + k.data.line + ".",
      "# Fill in the source, then: territory stats sketch --scenarios this-file.toml",
      "",
      "[source]",
      'outlet = "FILL IN: who reported the proposal"',
      'date = "FILL IN: when (YYYY-MM-DD)"',
      'title = "FILL IN: the report\'s title"',
      "",
      "[[scenario]]",
      'id = "sketch"',
      'title = "Sketched settlement"',
      'summary = "Drawn on the map: FILL IN what it rests on."',
    ];
    k.shapes.forEach(function (shape, i) {
      Object.keys(shape.regions)
        .sort()
        .forEach(function (code) {
          lines.push(
            "",
            "[[scenario.rule]]",
            "regions = " + tomlText(code),
            "area = { file = " + tomlText(FILE) + ", feature = " + tomlText(shape.name) + " }",
            "control = " + tomlText(shape.control),
          );
          if (shape.recognition !== "none" && shape.control === "russia") {
            lines.push("recognition = " + tomlText(shape.recognition));
          }
          if (shape.demilitarised) {
            lines.push("demilitarised = true");
          }
          lines.push("label = " + tomlText(t("sketch_shape", { n: i + 1 })));
        });
    });
    lines.push("", "[[scenario.rule]]", 'regions = "*"', 'control = "keep"', "");
    return {
      toml: lines.join("\n"),
      geojson: JSON.stringify({ type: "FeatureCollection", features: features }, null, 1) + "\n",
    };
  }

  function download(name, text, type) {
    var link = el("a");
    link.href = URL.createObjectURL(new Blob([text], { type: type }));
    link.download = name;
    document.body.appendChild(link);
    link.click();
    link.remove();
  }

  /* ---------- load: a FeatureCollection whose features carry the rule keys ---------- */

  function clear(k) {
    k.shapes.forEach(function (shape) {
      k.map.removeLayer(shape.layer);
    });
    k.shapes = [];
    k.count = 0;
  }

  function load(k, collection) {
    var data = typeof collection === "string" ? JSON.parse(collection) : collection;
    if (!data || !Array.isArray(data.features)) {
      throw new Error("a sketch is a GeoJSON FeatureCollection");
    }
    clear(k);
    data.features.forEach(function (feature) {
      var geometry = feature?.geometry;
      var kinds = ["Polygon", "MultiPolygon", "LineString"];
      if (!geometry || kinds.indexOf(geometry.type) < 0) {
        return;
      }
      var layer = L.geoJSON(geometry).getLayers()[0];
      layer.addTo(k.map);
      shapeRecord(k, layer, feature.properties || {});
    });
    changed(k);
    return k.shapes.length;
  }

  /* Start from a scenario of the page: what it moves, as shapes to change. */
  function startFrom(k, index) {
    var s = Territory.state(k.map);
    var scenario = s.data.scenarios[index];
    var fields = s.data.fields;
    var features = [];
    (scenario.zones || []).forEach(function (row) {
      var zone = {};
      fields.forEach(function (name, i) {
        zone[name] = row[i];
      });
      if (zone.change === "none" && !zone.demilitarised) {
        return;
      }
      var shape = kit.shapeLatLngs(s, zone.shape);
      features.push({
        type: "Feature",
        properties: {
          control: zone.control_after,
          recognition: zone.recognition,
          demilitarised: Boolean(zone.demilitarised),
        },
        geometry: { type: "MultiPolygon", coordinates: toClip(shape) },
      });
    });
    load(k, { type: "FeatureCollection", features: features });
  }

  /* ---------- the column: the shapes, the price, the files ---------- */

  function select(values, chosen, label, onChange) {
    var node = el("select");
    node.setAttribute("aria-label", label);
    values.forEach(function (pair) {
      var option = el("option", null, pair[1]);
      option.value = pair[0];
      node.appendChild(option);
    });
    node.value = chosen;
    node.addEventListener("change", function () {
      onChange(node.value);
    });
    return node;
  }

  function fill(k) {
    var box = k.list,
      words = Territory.state(k.map).data?.words;
    box.textContent = "";
    k.shapes.forEach(function (shape, i) {
      var row = el("li", "terr-sketch-shape");
      row.appendChild(el("span", "terr-sketch-name", t("sketch_shape", { n: i + 1 })));
      var controlWords = words ? words.control : {};
      row.appendChild(
        select(
          CONTROLS.map(function (c) {
            return [c, c === "keep" ? t("sketch_keep") : controlWords[c] || c];
          }),
          shape.control,
          t("sketch_control"),
          function (value) {
            shape.control = value;
            restyle(shape);
            changed(k);
          },
        ),
      );
      var recognitionWords = words ? words.recognition : {};
      row.appendChild(
        select(
          RECOGNITIONS.map(function (r) {
            return [r, r === "none" ? t("sketch_none") : recognitionWords[r] || r];
          }),
          shape.recognition,
          t("sketch_recognition"),
          function (value) {
            shape.recognition = value;
            changed(k);
          },
        ),
      );
      var label = el("label", "terr-sketch-check");
      var box2 = el("input");
      box2.type = "checkbox";
      box2.checked = shape.demilitarised;
      box2.addEventListener("change", function () {
        shape.demilitarised = box2.checked;
        restyle(shape);
        changed(k);
      });
      label.appendChild(box2);
      label.appendChild(el("span", null, t("sketch_demilitarised")));
      row.appendChild(label);
      var remove = el("button", "terr-sketch-remove", t("sketch_remove"));
      remove.type = "button";
      remove.addEventListener("click", function () {
        k.map.removeLayer(shape.layer);
        k.shapes.splice(k.shapes.indexOf(shape), 1);
        changed(k);
      });
      row.appendChild(remove);
      box.appendChild(row);
    });
    showPrice(k);
  }

  function showPrice(k) {
    var out = k.price,
      result = k.last;
    out.textContent = "";
    if (!k.shapes.length || !result) {
      out.appendChild(el("p", null, t("sketch_empty")));
      return;
    }
    var table = el("table", "terr-sketch-table");
    var head = el("tr");
    [t("sketch_region"), t("sketch_to_russia"), t("sketch_to_ukraine")].forEach(function (text) {
      head.appendChild(el("th", null, text));
    });
    table.appendChild(head);
    result.regions.forEach(function (r) {
      var row = el("tr");
      row.appendChild(el("td", null, r.name));
      row.appendChild(el("td", null, kit.km2(r.to_russia_km2)));
      row.appendChild(el("td", null, kit.km2(r.to_ukraine_km2)));
      table.appendChild(row);
    });
    var totals = el("tr", "terr-sketch-total");
    totals.appendChild(el("td", null, t("sketch_total")));
    totals.appendChild(el("td", null, kit.km2(result.total_to_russia_km2)));
    totals.appendChild(el("td", null, kit.km2(result.total_to_ukraine_km2)));
    table.appendChild(totals);
    out.appendChild(table);
    function named(list) {
      return list
        .map(function (c) {
          return c.town[0] + " (" + kit.people(c.town[3]) + ")";
        })
        .join("; ");
    }
    out.appendChild(
      el(
        "p",
        "terr-sketch-towns",
        result.changes.length
          ? t("sketch_towns", { names: named(result.changes) })
          : t("sketch_no_towns"),
      ),
    );
    if (result.demilitarised.length) {
      out.appendChild(
        el("p", "terr-sketch-towns", t("sketch_dmz_towns", { names: named(result.demilitarised) })),
      );
    }
  }

  function button(text, className, onClick) {
    var node = el("button", className, text);
    node.type = "button";
    node.addEventListener("click", onClick);
    return node;
  }

  function column(k) {
    var map = k.map,
      s = Territory.state(map);
    var box = el("section", "terr-sketch terr-box");
    box.appendChild(el("h2", "terr-heading", k.data.title));
    box.appendChild(
      el("p", "terr-sketch-help", t("sketch_help", { date: kit.longDate(k.data.line) })),
    );
    if (s.data?.scenarios.length) {
      const choices = [["", t("sketch_start_none")]].concat(
        s.data.scenarios.map(function (scenario, i) {
          return [String(i), scenario.title];
        }),
      );
      const start = el("label", "terr-sketch-start", t("sketch_start") + " ");
      start.appendChild(
        select(choices, "", t("sketch_start"), function (value) {
          if (value === "") {
            clear(k);
            changed(k);
          } else {
            startFrom(k, Number(value));
          }
        }),
      );
      box.appendChild(start);
    }
    k.list = el("ul", "terr-sketch-shapes");
    box.appendChild(k.list);
    k.price = el("div", "terr-sketch-price");
    k.price.setAttribute("aria-live", "polite");
    box.appendChild(k.price);
    var files = el("div", "terr-sketch-files");
    files.appendChild(
      button(t("sketch_export_toml"), "terr-sketch-export", function () {
        download("sketch.toml", exportFiles(k).toml, "application/toml");
      }),
    );
    files.appendChild(
      button(t("sketch_export_geojson"), "terr-sketch-export", function () {
        download(FILE, exportFiles(k).geojson, "application/geo+json");
      }),
    );
    var loader = el("label", "terr-sketch-load", t("sketch_load") + " ");
    var input = el("input");
    input.type = "file";
    input.accept = ".geojson,.json,application/geo+json";
    input.addEventListener("change", function () {
      var file = input.files?.[0];
      if (file) {
        file.text().then(function (text) {
          load(k, text);
        });
      }
    });
    loader.appendChild(input);
    files.appendChild(loader);
    box.appendChild(files);
    kit.side(map, "controls").appendChild(box);
    fill(k);
  }

  /* ---------- the step ---------- */

  function sketch(map, data) {
    var s = Territory.state(map);
    var k = { map: map, data: data, shapes: [], count: 0, frame: null, last: null };
    s.sketch = k;
    k.regions = data.regions.map(function (region) {
      var poly = toClip(kit.shapeLatLngs(s, region.shape));
      function shape(id) {
        return id === null ? null : toClip(kit.shapeLatLngs(s, id));
      }
      return {
        code: region.code,
        name: region.name,
        poly: poly,
        bbox: bboxOf(poly),
        russia: shape(region.russia),
        notRussia: shape(region.not_russia),
        notUkraine: shape(region.not_ukraine),
        towns: data.towns.filter(function (town) {
          return town[2] === region.code;
        }),
      };
    });
    if (!map.pm) {
      // Geoman hooks the maps made after it loads; this one was made before.
      map.pm = new L.PM.Map(map);
    }
    if (data.lang === "uk") {
      map.pm.setLang("ua"); // Geoman's code for Ukrainian
    }
    map.pm.addControls({
      position: "topright",
      drawMarker: false,
      drawCircleMarker: false,
      drawPolyline: true,
      drawCircle: false,
      drawText: false,
      cutPolygon: false,
      rotateMode: false,
    });
    map.pm.setGlobalOptions({ allowSelfIntersection: false });
    // The tools' names: Geoman's own words, as each button's accessible name too.
    map
      .getContainer()
      .querySelectorAll(".leaflet-pm-toolbar .leaflet-buttons-control-button")
      .forEach(function (button) {
        var name = button.parentNode.getAttribute("title");
        if (name) {
          button.setAttribute("aria-label", name);
        }
      });
    map.on("pm:create", function (event) {
      shapeRecord(k, event.layer, {});
      changed(k);
      fill(k);
    });
    map.on("pm:remove", function (event) {
      k.shapes = k.shapes.filter(function (shape) {
        return shape.layer !== event.layer;
      });
      changed(k);
    });
    column(k);
    window.territorySketch = {
      load: function (collection) {
        var count = load(k, collection);
        summary(k);
        fill(k);
        return count;
      },
      summary: function () {
        var result = summary(k);
        return {
          regions: result.regions.map(function (r) {
            return {
              region: r.region,
              to_russia_km2: r.to_russia_km2,
              to_ukraine_km2: r.to_ukraine_km2,
            };
          }),
          towns: result.towns,
          total_to_russia_km2: result.total_to_russia_km2,
        };
      },
      export: function () {
        return exportFiles(k);
      },
    };
  }

  /* The libraries come packed (gzip, base64): unpacked by the browser, then run in order. */
  function unpack(text) {
    var bytes = Uint8Array.from(atob(text), function (c) {
      return c.charCodeAt(0);
    });
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Response(stream).text();
  }

  var ready = Promise.all((kit.packed || []).map(unpack)).then(function (codes) {
    codes.forEach(function (code) {
      // The page's own inlined libraries (vendor/SOURCES.md), not text from anywhere else.
      new Function(code)();
    });
  });

  Territory.sketch = function (map, data) {
    ready.then(function () {
      sketch(map, data);
    });
  };
})();
