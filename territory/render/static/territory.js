/* territory: the page side of the maps written by territory.render.
 * Every text that comes from data is written with textContent, never as HTML.
 */
// biome-ignore lint/correctness/noUnusedVariables: the page's other scripts call Territory.
var Territory = (function () {
  // biome-ignore lint/suspicious/noRedundantUseStrict: the page inlines this as a classic script.
  "use strict";

  var SIDE_WIDTH = 340;
  // Maps narrower than this fold the column and the legend away until asked for.
  var NARROW = 700;

  function narrow(map) {
    return map.getSize().x <= NARROW || map.getContainer().classList.contains("terr-embed");
  }

  /* An embed: the least chrome, the column folded to one line at any width. */
  function embed(map) {
    map.getContainer().classList.add("terr-embed");
  }

  /* ---------- words: the page's language, from the land step (the script has none) ---------- */

  var W = {};

  /* A text of the page's language, its {name} parts filled in. */
  function t(key, fill) {
    var text = key in W ? W[key] : key;
    Object.keys(fill || {}).forEach(function (name) {
      text = text.split("{" + name + "}").join(String(fill[name]));
    });
    return text;
  }

  /* ---------- small helpers ---------- */

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined && text !== null) {
      node.textContent = String(text);
    }
    return node;
  }

  /* A number as the page's language writes it: thousands grouped, its decimal sign. */
  function grouped(value) {
    var parts = String(value).split(".");
    parts[0] = parts[0].replace(/\B(?=(\d{3})+(?!\d))/g, t("group"));
    return parts.join(t("decimal"));
  }

  function km2(value) {
    var rounded = value < 10 ? Math.round(value * 10) / 10 : Math.round(value);
    return grouped(rounded) + " " + t("km2");
  }

  function percent(part, whole) {
    if (!whole) {
      return "0%";
    }
    var share = (100 * part) / whole;
    return grouped(share >= 10 ? Math.round(share) : Math.round(share * 10) / 10) + "%";
  }

  function people(value) {
    return grouped(value);
  }

  function longDate(iso) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || "");
    if (!m || !W.months) {
      return iso || t("unknown_date");
    }
    return t("date", { day: Number(m[3]), month: W.months[Number(m[2]) - 1], year: m[1] });
  }

  /* Encoded polylines: differences of rounded latitude and longitude, base-32 digits. */
  function decode(text, decimals) {
    var scale = Math.pow(10, decimals),
      points = [],
      index = 0,
      lat = 0,
      lon = 0;
    function next() {
      var result = 0,
        shift = 0,
        byte;
      do {
        byte = text.charCodeAt(index++) - 63;
        result |= (byte & 0x1f) << shift;
        shift += 5;
      } while (byte >= 0x20);
      return result & 1 ? ~(result >> 1) : result >> 1;
    }
    while (index < text.length) {
      lat += next();
      lon += next();
      points.push([lat / scale, lon / scale]);
    }
    return points;
  }

  /* A shared arc of the shape table, decoded once into Leaflet's own points: the polygons
     and lines drawn with the arc share the same objects, not copies made at each date. */
  function arcPoints(s, index) {
    if (!s.arcs) {
      s.arcs = [];
    }
    if (!s.arcs[index]) {
      s.arcs[index] = decode(s.table.arcs[index], s.table.decimals).map(function (p) {
        return L.latLng(p[0], p[1]);
      });
    }
    return s.arcs[index];
  }

  /* Arc references as written: [a, n] is the run a, a+1, ..., a+n-1; [a, n, r] is n
     references of ring r of the base shape, from its a-th; [a, n, r, j] is n references
     of ring r of shape j, from its a-th backwards, each arc turned round (the zone across
     a boundary goes round it the other way). Rings are counted across polygons. */
  function expandRuns(s, written, base) {
    var refs = [];
    written.forEach(function (item) {
      var across;
      if (typeof item === "number") {
        refs.push(item);
        return;
      }
      if (item.length === 4) {
        across = ringRefs(s, item[3])[item[2]];
        for (let k = 0; k < item[1]; k++) {
          refs.push(~across[item[0] - k]);
        }
        return;
      }
      for (let k = 0; k < item[1]; k++) {
        refs.push(item.length === 3 ? base[item[2]][item[0] + k] : item[0] + k);
      }
    });
    return refs;
  }

  /* A shape's rings of arc references, counted across its polygons (made once). */
  function ringRefs(s, id) {
    var key = "rings" + id;
    if (!s.cache[key]) {
      s.cache[key] = shapeRefs(s, id).flat();
    }
    return s.cache[key];
  }

  /* A shape as polygons of rings of arc references; a shape written as an earlier one
     ({from: j, polygons: ...}) copies stretches of that one's rings. */
  function shapeRefs(s, id) {
    var key = "refs" + id,
      shape = s.table.shapes[id],
      base;
    if (!s.cache[key]) {
      base = shape.from === undefined ? [] : ringRefs(s, shape.from);
      s.cache[key] = (shape.polygons || shape).map(function (polygon) {
        return polygon.map(function (ring) {
          return expandRuns(s, ring, base);
        });
      });
    }
    return s.cache[key];
  }

  /* A ring from its arcs: ~i is arc i backwards; consecutive arcs share an end point. */
  function ringOf(s, refs) {
    var points = [];
    refs.forEach(function (ref, n) {
      var arc = arcPoints(s, ref >= 0 ? ref : ~ref),
        forwards = ref >= 0;
      for (let k = n ? 1 : 0; k < arc.length; k++) {
        points.push(arc[forwards ? k : arc.length - 1 - k]);
      }
    });
    return points;
  }

  function decodeShape(s, id) {
    return shapeRefs(s, id).map(function (polygon) {
      return polygon.map(function (refs) {
        return ringOf(s, refs);
      });
    });
  }

  var maps = [];

  function state(map) {
    if (!map._territory) {
      maps.push(map);
      map._territory = {
        labels: [],
        map: map,
        active: 0,
        left: 0,
        right: 0,
        swipe: false,
        fraction: 0.5,
        showChanges: true,
        shown: [],
        cache: {},
        layers: {}, // each scenario's layers in each pane, kept from date to date (scenarioLayer)
        listeners: [],
        data: null,
      };
    }
    return map._territory;
  }

  function pane(map, name, zIndex) {
    var existing = map.getPane(name);
    if (existing) {
      return existing;
    }
    var created = map.createPane(name);
    created.style.zIndex = String(zIndex);
    return created;
  }

  function notify(s) {
    s.listeners.forEach(function (listener) {
      listener(s);
    });
  }

  function stopEvents(node) {
    L.DomEvent.disableClickPropagation(node);
    L.DomEvent.disableScrollPropagation(node);
  }

  /* The column on the left: a heading, the controls, then the active scenario's details.
     Each step fills its own slot, whatever the order the steps run in. */
  function side(map, slot) {
    var s = state(map);
    if (!s.side) {
      s.side = el("div", "terr-side");
      s.side.style.width = SIDE_WIDTH + "px";
      s.slots = {
        head: el("div", "terr-slot-head"),
        controls: el("div", "terr-slot-controls"),
        details: el("div", "terr-slot-details"),
      };
      s.side.appendChild(s.slots.head);
      if (narrow(map)) {
        // On a phone or in a small embed: the title, and a button that opens the rest.
        map.getContainer().classList.add("terr-narrow");
        const closed = map.getContainer().classList.contains("terr-embed")
          ? t("fold_embed")
          : t("fold");
        const fold = el("button", "terr-fold", closed);
        fold.type = "button";
        fold.setAttribute("aria-expanded", "false");
        fold.addEventListener("click", function () {
          var open = s.side.classList.toggle("terr-open");
          fold.setAttribute("aria-expanded", String(open));
          fold.textContent = open ? t("close") : closed;
        });
        s.side.appendChild(fold);
      }
      s.side.appendChild(s.slots.controls);
      s.side.appendChild(s.slots.details);
      // First in the page's order (it is placed by CSS, not by order): Tab reaches the
      // title, the scenarios and the map's buttons before the many shapes of the map.
      const container = map.getContainer();
      const controls = container.querySelector(".leaflet-control-container");
      if (controls) {
        container.insertBefore(controls, container.firstChild);
      }
      container.insertBefore(s.side, container.firstChild);
      stopEvents(s.side);
      if (window.ResizeObserver) {
        // Panels that open, fold or fill change the room the labels have.
        new ResizeObserver(function () {
          placeLabels(s);
        }).observe(s.side);
      }
      fitView(s);
    }
    return s.slots[slot];
  }

  function fitView(s) {
    if (!s.bounds) {
      return;
    }
    var bottom = s.legend ? s.legend.offsetHeight + 24 : 10;
    if (narrow(s.map)) {
      // The folded column sits across the top: the map fits below it.
      const top = s.side ? s.side.offsetHeight + 20 : 10;
      // In quarter steps of zoom: Ukraine fills the width of a phone.
      s.map.options.zoomSnap = 0.25;
      s.map.fitBounds(s.bounds, {
        paddingTopLeft: [10, top],
        paddingBottomRight: [10, bottom],
        animate: false,
      });
    } else {
      const left = s.side ? SIDE_WIDTH + 20 : 10;
      s.map.fitBounds(s.bounds, {
        paddingTopLeft: [left, 10],
        paddingBottomRight: [10, bottom],
        animate: false,
      });
    }
    placeLabels(s); // the panels around the map have changed: the labels make room
  }

  /* ---------- labels: the most important first, none over another ---------- */

  function addLabel(s, latlng, text, className, priority, wanted) {
    var node = el("span", "terr-label " + className, text);
    node.style.visibility = "hidden";
    L.marker(latlng, {
      pane: "terr-labels",
      interactive: false,
      keyboard: false,
      icon: L.divIcon({ html: node, className: "terr-label-box", iconSize: null }),
    }).addTo(s.map);
    s.labels.push({ node: node, priority: priority, wanted: wanted || null });
    return node;
  }

  function overlaps(a, b) {
    return (
      a.left < b.right + 3 && a.right + 3 > b.left && a.top < b.bottom + 1 && a.bottom + 1 > b.top
    );
  }

  /* Show each label that fits: inside the map, clear of the panels and of every label
     placed before it (labels are placed by priority, so the less important one gives way). */
  function placeLabels(s) {
    if (!s.labels.length) {
      return;
    }
    var frame = s.map.getContainer().getBoundingClientRect();
    var taken = [];
    s.map
      .getContainer()
      .querySelectorAll(".terr-side > *, .terr-legend, .leaflet-control-zoom, .terr-divider")
      .forEach(function (node) {
        var box = node.getBoundingClientRect();
        if (box.width && box.height) {
          taken.push(box);
        }
      });
    var order = s.labels
      .map(function (label) {
        var priority = typeof label.priority === "function" ? label.priority() : label.priority;
        return { label: label, priority: priority };
      })
      .sort(function (a, b) {
        return b.priority - a.priority;
      });
    // Measured before any is hidden: a change of style between two measures would make the
    // browser lay the page out again.
    var boxes = order.map(function (item) {
      return item.label.wanted && !item.label.wanted()
        ? null
        : item.label.node.getBoundingClientRect();
    });
    order.forEach(function (item) {
      item.label.node.style.visibility = "hidden";
    });
    // The dots of the towns shown: a town's name may cover no other town's dot.
    var dots = order.map(function (item, i) {
      var dot = item.label.dot;
      if (!dot || !boxes[i] || !s.map.hasLayer(dot.marker)) {
        return null;
      }
      var p = s.map.latLngToContainerPoint(dot.latlng);
      var x = frame.left + p.x,
        y = frame.top + p.y;
      return {
        left: x - dot.radius,
        right: x + dot.radius,
        top: y - dot.radius,
        bottom: y + dot.radius,
      };
    });
    // The line of contact: no name is written across it.
    var crossesLine = pointsWithin(linePoints(s, frame), frame);
    order.forEach(function (item, i) {
      var box = boxes[i];
      if (!box?.width) {
        return;
      }
      var label = item.label;
      var candidates = [[box, null]];
      if (label.dot) {
        candidates = besideDot(label, box, dots[i]);
      }
      // Clear of every other town's dot (a name never hides a marker) and of the line.
      var others = dots.filter(function (dot, k) {
        return dot && k !== i;
      });
      function fitsAmong(blocking) {
        return candidates.find(function (candidate) {
          var b = candidate[0];
          var inside =
            b.left >= frame.left &&
            b.right <= frame.right &&
            b.top >= frame.top &&
            b.bottom <= frame.bottom;
          return (
            inside &&
            !taken.some(overlaps.bind(null, b)) &&
            !blocking.some(overlaps.bind(null, b)) &&
            !crossesLine(b)
          );
        });
      }
      // A regional capital that finds no such place may cover the dots of smaller towns
      // (a map without Kharkiv's name orients nobody); no other name does.
      var fits =
        fitsAmong(others) ||
        (label.capital &&
          fitsAmong(
            dots.filter(function (dot, k) {
              return dot && k < i;
            }),
          ));
      if (!fits) {
        return;
      }
      if (fits[1]) {
        label.node.style.transform = fits[1];
      }
      taken.push(fits[0]);
      label.node.style.visibility = "visible";
    });
  }

  /* Whether a box (inside the frame) has any of the points strictly inside it: the points
     inside the frame are filed in square cells, and a box looks only in the cells it covers
     (a label tries several places on each date; the line has thousands of points). */
  function pointsWithin(points, frame) {
    var size = 16,
      columns = Math.ceil((frame.right - frame.left) / size) + 1,
      cells = new Map();
    points.forEach(function (p) {
      if (p[0] < frame.left || p[0] > frame.right || p[1] < frame.top || p[1] > frame.bottom) {
        return;
      }
      const key =
        Math.floor((p[1] - frame.top) / size) * columns + Math.floor((p[0] - frame.left) / size);
      const cell = cells.get(key);
      if (cell) {
        cell.push(p);
      } else {
        cells.set(key, [p]);
      }
    });
    return function (b) {
      var x0 = Math.max(0, Math.floor((b.left - frame.left) / size)),
        x1 = Math.floor((b.right - frame.left) / size),
        y0 = Math.max(0, Math.floor((b.top - frame.top) / size)),
        y1 = Math.floor((b.bottom - frame.top) / size);
      for (let y = y0; y <= y1; y++) {
        for (let x = x0; x <= x1 && x < columns; x++) {
          const cell = cells.get(y * columns + x);
          if (
            cell?.some(function (p) {
              return p[0] > b.left && p[0] < b.right && p[1] > b.top && p[1] < b.bottom;
            })
          ) {
            return true;
          }
        }
      }
      return false;
    };
  }

  /* Points along the line of contact where it crosses the map's frame, every few pixels
     (page coordinates), for names to keep clear of. */
  function linePoints(s, frame) {
    var points = [];
    if (!s.line || !s.map.hasLayer(s.line)) {
      return points;
    }
    var size = s.map.getSize(),
      map = s.map,
      latlngs = s.line.getLatLngs();
    var paths = L.LineUtil.isFlat(latlngs) ? [latlngs] : latlngs;
    paths.forEach(function (path) {
      var before = null;
      path.forEach(function (latlng) {
        var p = map.latLngToContainerPoint(latlng);
        if (before) {
          const outside =
            (p.x < 0 && before.x < 0) ||
            (p.y < 0 && before.y < 0) ||
            (p.x > size.x && before.x > size.x) ||
            (p.y > size.y && before.y > size.y);
          if (!outside) {
            const steps = Math.min(400, Math.ceil(p.distanceTo(before) / 4));
            for (let k = 1; k <= steps; k++) {
              const t = k / steps;
              points.push([
                frame.left + before.x + (p.x - before.x) * t,
                frame.top + before.y + (p.y - before.y) * t,
              ]);
            }
          }
        }
        before = p;
      });
    });
    return points;
  }

  /* Where a town's name can go: right of its dot, then left, above, below, then at the
     corners (boxes computed from the one measured, and the transform that puts the name
     there). */
  function besideDot(label, box, dot) {
    var gap = label.dot.gap,
      w = box.right - box.left,
      h = box.bottom - box.top;
    var x = (dot.left + dot.right) / 2,
      y = (dot.top + dot.bottom) / 2,
      d = Math.round(gap * 0.7); // at a corner, as far from the dot's centre as beside it
    function at(left, top, transform) {
      return [{ left: left, right: left + w, top: top, bottom: top + h }, transform];
    }
    return [
      at(x + gap, y - h / 2, "translate(" + gap + "px, -50%)"),
      at(x - gap - w, y - h / 2, "translate(calc(-100% - " + gap + "px), -50%)"),
      at(x - w / 2, y - gap - h, "translate(-50%, calc(-100% - " + gap + "px))"),
      at(x - w / 2, y + gap, "translate(-50%, " + gap + "px)"),
      at(x + d, y - d - h, "translate(" + d + "px, calc(-100% - " + d + "px))"),
      at(x + d, y + d, "translate(" + d + "px, " + d + "px)"),
      at(x - d - w, y - d - h, "translate(calc(-100% - " + d + "px), calc(-100% - " + d + "px))"),
      at(x - d - w, y + d, "translate(calc(-100% - " + d + "px), " + d + "px)"),
    ];
  }

  /* ---------- base map ---------- */

  function land(map, data) {
    var s = state(map);
    W = data.words || W;
    // Leaflet's own zoom buttons, in the page's language (once the page's scripts have
    // all run: the control may be added after this step).
    setTimeout(function () {
      [
        [".leaflet-control-zoom-in", "zoom_in"],
        [".leaflet-control-zoom-out", "zoom_out"],
      ].forEach(function (pair) {
        map
          .getContainer()
          .querySelectorAll(pair[0])
          .forEach(function (button) {
            button.title = t(pair[1]);
            button.setAttribute("aria-label", t(pair[1]));
          });
      });
    }, 0);
    pane(map, "terr-land", 250);
    pane(map, "terr-labels", 640).style.pointerEvents = "none";
    map.getContainer().classList.add("terr-map");
    map.getContainer().style.setProperty("--terr-sea", data.style.sea);
    data.shapes.forEach(function (id) {
      L.polygon(shapeLatLngs(s, id), {
        pane: "terr-land",
        interactive: false,
        color: data.style.border,
        weight: 0.6,
        fillColor: data.style.land,
        fillOpacity: 1,
      }).addTo(map);
    });
    data.labels.forEach(function (label) {
      addLabel(s, [label[1], label[2]], label[0], "terr-" + label[3] + "-label", label[4]);
    });
    map.on("zoomend moveend resize", function () {
      placeLabels(s);
    });
    data.attribution.forEach(function (text) {
      var holder = el("span", null, text);
      map.attributionControl.addAttribution(holder.innerHTML);
    });
    s.bounds = L.latLngBounds(data.bounds);
    fitView(s);
  }

  /* ---------- zones: one layer per scenario, built when first shown ---------- */

  function zoneRecord(fields, row) {
    var record = {};
    fields.forEach(function (name, i) {
      record[name] = row[i];
    });
    return record;
  }

  function shapeLatLngs(s, id) {
    var key = "shape" + id;
    if (!s.cache[key]) {
      s.cache[key] = decodeShape(s, id);
    }
    return s.cache[key];
  }

  /* Every distinct polygon of the page, once; the other steps refer to them by index. */
  function shapes(map, data) {
    state(map).table = data;
  }

  function fillOf(styles, zone) {
    if (zone.control_after === "russia" && zone.recognition !== "none") {
      return "url(#terr-pattern-" + zone.recognition + ")";
    }
    return styles.fill[zone.control_after];
  }

  function zoneStyle(s, index, zone, paneName) {
    var styles = s.data.style,
      contested = zone.control_after === "contested";
    return {
      pane: paneName,
      className: "terr-zone terr-scenario-" + index + " terr-after-" + zone.control_after,
      color: contested ? styles.contested_edge : styles.edge,
      weight: contested ? 1.4 : 0.8,
      dashArray: contested ? "5 4" : null,
      opacity: 1,
      fillColor: fillOf(styles, zone),
      fillOpacity: styles.fill_opacity[zone.control_after],
    };
  }

  function changeStyle(s, index, zone, paneName) {
    var look = s.data.style.change[zone.change];
    return {
      pane: paneName,
      interactive: false,
      className: "terr-change terr-scenario-" + index + " terr-" + zone.change,
      color: look.color,
      weight: look.weight,
      dashArray: look.dash,
      lineCap: "round",
      opacity: 1,
      fillColor: look.color,
      fillOpacity: look.fill_opacity,
    };
  }

  /* Stripes over demilitarised ground, above the zone's own fill and pattern. */
  function demilitarisedStyle(s, index, paneName) {
    var look = s.data.style.demilitarised;
    return {
      pane: paneName,
      interactive: false,
      className: "terr-demilitarised terr-scenario-" + index,
      color: look.color,
      weight: look.weight,
      opacity: 1,
      fillColor: "url(#terr-pattern-demilitarised)",
      fillOpacity: 1,
    };
  }

  function tooltipFor(s, index, zone) {
    return function () {
      var scenario = s.data.scenarios[index];
      var region = s.data.regions[zone.region] || [zone.region, 0];
      var box = el("div", "terr-tip-body");
      box.appendChild(el("div", "terr-tip-title", zone.region_name));
      if (zone.label) {
        box.appendChild(el("div", "terr-tip-label", zone.label));
      }
      var after = s.data.words.control[zone.control_after] || zone.control_after;
      if (s.data.words.recognition[zone.recognition]) {
        after += ", " + s.data.words.recognition[zone.recognition];
      }
      box.appendChild(el("div", "terr-tip-status", after));
      var now = t("tip_on", {
        date: longDate(s.data.snapshot.date),
        control: s.data.words.control[zone.control_now] || zone.control_now,
      });
      if (zone.held_since) {
        now += t("tip_held_since", { year: zone.held_since });
      }
      box.appendChild(el("div", "terr-tip-now", now));
      if (zone.demilitarised) {
        box.appendChild(el("div", "terr-tip-demilitarised", s.data.words.demilitarised.zone));
      }
      if (s.data.words.change[zone.change]) {
        box.appendChild(
          el(
            "div",
            "terr-tip-change",
            t("tip_change", { change: s.data.words.change[zone.change] }),
          ),
        );
      }
      box.appendChild(
        el(
          "div",
          "terr-tip-area",
          t("tip_area", {
            km2: km2(zone.area_km2),
            share: percent(zone.area_km2, region[1]),
            region: region[0],
          }),
        ),
      );
      box.appendChild(el("div", "terr-tip-scenario", scenario.title));
      return box;
    };
  }

  function highlight(event) {
    event.target.setStyle({ weight: 2.5, color: "#222222" });
    event.target.bringToFront();
  }

  /* A zone's layers: its polygon, with a tooltip and a highlight, and the stripes over it
     when it is demilitarised; for the changes, its outline when it changes hands. */
  function zoneLayers(s, index, kind, paneName, zone) {
    var latlngs = shapeLatLngs(s, zone.shape);
    if (kind === "changes") {
      return zone.change === "none"
        ? []
        : [L.polygon(latlngs, changeStyle(s, index, zone, paneName))];
    }
    var style = zoneStyle(s, index, zone, paneName);
    var polygon = L.polygon(latlngs, style);
    polygon.bindTooltip(tooltipFor(s, index, zone), { sticky: true, className: "terr-tip" });
    polygon.on("mouseover", highlight);
    polygon.on("mouseout", function () {
      polygon.setStyle(style);
      // Zones never overlap: behind the others, the outlines and stripes show again.
      polygon.bringToBack();
    });
    if (zone.demilitarised) {
      return [polygon, L.polygon(latlngs, demilitarisedStyle(s, index, paneName))];
    }
    return [polygon];
  }

  /* A scenario's zones (or their changes) in a pane, on the date shown: a group of layers
     and the layers of each row. The group lives as long as the page: on a history page, a
     zone whose row is the same on the new date keeps its layers (on the map, if they are
     shown), and only the rows that differ are drawn afresh. */
  function scenarioLayer(s, index, kind, paneName) {
    var key = kind + "|" + index + "|" + paneName;
    var drawn = s.layers[key];
    if (!drawn) {
      drawn = {
        group: L.featureGroup(),
        pane: paneName,
        rows: new Map(),
        frame: null,
        added: false,
      };
      s.layers[key] = drawn;
    } else if (drawn.frame === s.frame) {
      return drawn;
    }
    drawn.frame = s.frame;
    var group = drawn.group,
      fields = s.data.fields,
      before = drawn.rows,
      now = new Map(),
      made = [];
    s.data.scenarios[index].zones.forEach(function (row) {
      var id = JSON.stringify(row);
      while (now.has(id)) {
        id += "+"; // the same row twice: layers of its own
      }
      var layers = before.get(id);
      if (layers) {
        before.delete(id);
      } else {
        layers = zoneLayers(s, index, kind, paneName, zoneRecord(fields, row));
        made.push(layers);
      }
      now.set(id, layers);
    });
    before.forEach(function (layers) {
      layers.forEach(function (layer) {
        group.removeLayer(layer);
      });
    });
    drawn.rows = now;
    made.forEach(function (layers) {
      layers.forEach(function (layer) {
        group.addLayer(layer);
      });
    });
    drawn.added = drawn.added || made.length > 0;
    return drawn;
  }

  /* Put a pane's layers in the order of a page drawn afresh: every zone's fill in the order
     of the rows, then the stripes over them. */
  function inDrawingOrder(rows) {
    [0, 1].forEach(function (k) {
      rows.forEach(function (layers) {
        if (layers.length > k) {
          layers[k].bringToFront();
        }
      });
    });
  }

  function show(s) {
    var map = s.map;
    var wanted = s.swipe
      ? [
          [s.left, "terr-left"],
          [s.right, "terr-right"],
        ]
      : [[s.active, "terr-single"]];
    var next = []; // in drawing order: each pane's zones, then their changes
    wanted.forEach(function (item) {
      next.push(scenarioLayer(s, item[0], "zones", item[1]));
      if (s.showChanges) {
        next.push(scenarioLayer(s, item[0], "changes", item[1]));
      }
    });
    s.shown.forEach(function (drawn) {
      if (next.indexOf(drawn) < 0) {
        map.removeLayer(drawn.group);
      }
    });
    // Layers added to a group go on top of the pane, and a group put on the map draws its
    // layers in the order they joined it: from the first such group of a pane, each group
    // of the pane is put back in order (zones below their changes).
    var reordered = {};
    next.forEach(function (drawn) {
      var fresh = !map.hasLayer(drawn.group);
      if (fresh) {
        drawn.group.addTo(map);
      }
      if (fresh || drawn.added || reordered[drawn.pane]) {
        inDrawingOrder(drawn.rows);
        reordered[drawn.pane] = true;
      }
      drawn.added = false;
    });
    s.shown = next;
    notify(s);
  }

  function indexOf(s, id, fallback) {
    for (let i = 0; i < s.data.scenarios.length; i++) {
      if (s.data.scenarios[i].id === id) {
        return i;
      }
    }
    return fallback;
  }

  /* A frame's rows of one scenario from those of the frame before: an index is the row
     there, [index, count] that many rows from it, [index, shape, area] the row there with its
     new shape and area; anything else a row whole. */
  function frameRowsOf(written, before) {
    var rows = [];
    written.forEach(function (row) {
      var moved;
      if (typeof row === "number") {
        rows.push(before[row]);
      } else if (row.length === 2) {
        for (let k = 0; k < row[1]; k++) {
          rows.push(before[row[0] + k]);
        }
      } else if (row.length === 3) {
        // The same zone as before, with its new shape (first field) and area (last).
        moved = before[row[0]].slice();
        moved[0] = row[1];
        moved[moved.length - 1] = row[2];
        rows.push(moved);
      } else {
        rows.push(row);
      }
    });
    return rows;
  }

  /* A frame's rows of scenario i, whole (see frameRowsOf). Frames are decoded once, oldest
     first, as far as the one asked for. */
  function frameRows(s, index, i) {
    var before,
      k = index;
    if (!s.frameRows) {
      s.frameRows = s.data.frames.map(function () {
        return [];
      });
    }
    while (k > 0 && !s.frameRows[k - 1][i]) {
      k--;
    }
    for (; k <= index; k++) {
      if (!s.frameRows[k][i]) {
        before = k > 0 ? s.frameRows[k - 1][i] : [];
        s.frameRows[k][i] = frameRowsOf(s.data.frames[k].zones[i], before);
      }
    }
    return s.frameRows[index][i];
  }

  /* A frame's figures of scenario i: null is the frame before's, a number j those of
     scenario j in the same frame. */
  function frameTotals(s, index, i) {
    var k = index,
      values,
      totals = {};
    while (k > 0 && s.data.frames[k].totals[i] === null) {
      k--;
    }
    values = s.data.frames[k].totals[i];
    if (typeof values === "number") {
      return frameTotals(s, k, values);
    }
    s.data.total_fields.forEach(function (name, n) {
      totals[name] = values[n];
    });
    return totals;
  }

  /* A history page: put one date's zones and totals in place of the scenarios' own. */
  function applyFrame(s, index) {
    var frame = s.data.frames[index],
      words = s.data.vocabulary,
      fields = s.data.fields;
    s.frame = index;
    s.data.snapshot = { name: frame.name, date: frame.date };
    s.data.scenarios.forEach(function (scenario, i) {
      var rows = null;
      scenario.totals = frameTotals(s, index, i);
      // A scenario's rows are read back when it is drawn: the others cost nothing.
      Object.defineProperty(scenario, "zones", {
        configurable: true,
        enumerable: true,
        get: function () {
          if (rows === null) {
            rows = frameRows(s, index, i).map(function (row) {
              return row.map(function (value, k) {
                var field = fields[k];
                var text = field !== "shape" && field !== "demilitarised" && field !== "area_km2";
                return text ? words[value] : value;
              });
            });
          }
          return rows;
        },
      });
    });
  }

  function zones(map, data) {
    var s = state(map);
    s.data = data;
    if (data.frames) {
      applyFrame(s, data.frame);
    }
    pane(map, "terr-single", 410);
    pane(map, "terr-left", 410);
    pane(map, "terr-right", 411);
    s.active = s.left = indexOf(s, data.active, 0);
    s.right = indexOf(s, data.right, Math.min(1, data.scenarios.length - 1));
    show(s);
  }

  function activate(map, index) {
    var s = state(map);
    s.active = index;
    s.left = index;
    show(s);
  }

  /* ---------- line of contact and places ---------- */

  /* A history page's line on the date shown: arcs of the shape table. */
  function framePaths(s) {
    return expandRuns(s, s.lineFrames[s.frame]).map(function (index) {
      return arcPoints(s, index);
    });
  }

  function line(map, data) {
    var s = state(map);
    pane(map, "terr-line", 450).style.pointerEvents = "none";
    var paths;
    if (data.frames) {
      s.lineFrames = data.frames;
      paths = framePaths(s);
    } else {
      paths = data.paths.map(function (path) {
        return decode(path, data.decimals);
      });
    }
    s.line = L.polyline(paths, {
      pane: "terr-line",
      interactive: false,
      className: "terr-line",
      color: data.style.color,
      weight: data.style.weight,
      opacity: 1,
    }).addTo(map);
  }

  function placeTooltip(s, place) {
    return function () {
      var box = el("div", "terr-tip-body");
      box.appendChild(el("div", "terr-tip-title", place.name));
      box.appendChild(
        el(
          "div",
          "terr-tip-now",
          place.kind === "site" ? place.note : t("town", { people: people(place.population) }),
        ),
      );
      if (s.data && place.after) {
        const after = place.after[s.active];
        box.appendChild(
          el(
            "div",
            "terr-tip-status",
            t("place_after", { control: s.data.words.control[after] || after }),
          ),
        );
      }
      return box;
    };
  }

  /* Whether a place changes hands under a scenario shown (either side of the swipe). */
  function moves(s, place) {
    if (!place.after?.length) {
      return false;
    }
    var shown = s.swipe ? [s.left, s.right] : [s.active];
    return shown.some(function (i) {
      return place.after[i] && place.after[i] !== place.now;
    });
  }

  function places(map, data) {
    var s = state(map);
    pane(map, "terr-places", 460);
    s.places = L.featureGroup().addTo(map);
    var small = [];
    data.places.forEach(function (place) {
      var look = data.style[place.kind];
      var radius =
        place.kind === "site" ? look.radius : look.radius + place.size - (place.small ? 1 : 0);
      var marker = L.circleMarker([place.lat, place.lon], {
        pane: "terr-places",
        className: "terr-place terr-place-" + place.kind + (place.small ? " terr-place-small" : ""),
        radius: radius,
        color: look.color,
        weight: look.weight,
        fillColor: look.fill,
        fillOpacity: 1,
      });
      marker.bindTooltip(placeTooltip(s, place), { direction: "top", className: "terr-tip" });
      if (place.small) {
        small.push([place, marker]); // shown only while a scenario shown moves it
      } else {
        s.places.addLayer(marker);
      }
      var label = addLabel(
        s,
        [place.lat, place.lon],
        place.short || place.name,
        "terr-place-label",
        function () {
          return moves(s, place) ? 95 + place.priority / 1000 : place.priority;
        },
        function () {
          // Named while the markers are shown; a small town only while a scenario moves it.
          return map.hasLayer(s.places) && (!place.small || moves(s, place));
        },
      );
      // Beside the dot, clear of its edge (right of it unless something is there).
      var gap = radius + look.weight + 3;
      label.style.transform = "translate(" + gap + "px, -50%)";
      s.labels[s.labels.length - 1].capital = Boolean(place.capital);
      s.labels[s.labels.length - 1].dot = {
        marker: marker,
        latlng: [place.lat, place.lon],
        radius: radius + look.weight / 2,
        gap: gap,
      };
    });
    function update() {
      small.forEach(function (pair) {
        if (moves(s, pair[0])) {
          s.places.addLayer(pair[1]);
        } else {
          s.places.removeLayer(pair[1]);
        }
      });
      placeLabels(s);
    }
    s.listeners.push(update);
    update();
  }

  /* ---------- legend ---------- */

  function legend(map, data) {
    var node = document.getElementById(data.id);
    var control = L.control({ position: "bottomright" });
    control.onAdd = function () {
      node.hidden = false;
      stopEvents(node);
      var toggle = node.querySelector(".terr-legend-toggle");
      if (toggle) {
        // Folded on narrow maps: the button opens and closes the list, over the map (which
        // stays where it is).
        toggle.addEventListener("click", function () {
          var open = node.classList.toggle("terr-open");
          toggle.setAttribute("aria-expanded", String(open));
        });
      }
      return node;
    };
    control.addTo(map);
    state(map).legend = node;
    fitView(state(map));
  }

  /* ---------- panel: the active scenario's texts and sources ---------- */

  function sourceLines(source) {
    var order = ["outlet", "date", "title", "url"],
      keys = Object.keys(source).sort();
    var ordered = order
      .filter(function (k) {
        return k in source;
      })
      .concat(
        keys.filter(function (k) {
          return order.indexOf(k) < 0;
        }),
      );
    return ordered.map(function (k) {
      return [k, source[k]];
    });
  }

  function ruleText(s, rule) {
    var names =
      rule.regions[0] === "*"
        ? t("all_other_regions")
        : rule.regions
            .map(function (code) {
              return (s.data.regions[code] || [code])[0];
            })
            .join(", ");
    var what = s.data.words.rule[rule.control] || rule.control;
    if (rule.control === "line") {
      what += " " + rule.line;
    }
    if (s.data.words.recognition[rule.recognition]) {
      what +=
        ", " +
        t("russian_control_recognised", {
          recognition: s.data.words.recognition[rule.recognition],
        });
    }
    if ((rule.recognised_by || []).length) {
      what += t("recognised_by", { who: rule.recognised_by.join(", ") });
    }
    if (s.data.words.demilitarised[rule.demilitarised]) {
      what += ", " + s.data.words.demilitarised[rule.demilitarised];
    }
    if (rule.area) {
      names += ", " + rule.area;
    }
    return (rule.label ? rule.label + " (" + names + ")" : names) + ": " + what;
  }

  function figuresText(s, sum) {
    return (
      t("figures", { russia: km2(sum.russia), share: percent(sum.russia, sum.all) }) +
      (sum.contested ? t("figures_contested", { km2: km2(sum.contested) }) : "") +
      (sum.demilitarised ? t("figures_demilitarised", { km2: km2(sum.demilitarised) }) : "") +
      t("figures_change", {
        date: longDate(s.data.snapshot.date),
        to_russia: km2(sum.to_russia),
        to_ukraine: km2(sum.to_ukraine),
      })
    );
  }

  function fillPanel(s, body) {
    body.textContent = "";
    var scenario = s.data.scenarios[s.active];
    if (s.swipe) {
      // Side by side: both scenarios in brief, then the left one in full.
      const other = s.data.scenarios[s.right];
      const pair = el("div", "terr-panel-pair");
      [
        [t("left"), scenario],
        [t("right"), other],
      ].forEach(function (item) {
        pair.appendChild(el("h2", "terr-panel-side", item[0] + ": " + item[1].title));
        pair.appendChild(el("p", "terr-panel-figures", figuresText(s, item[1].totals)));
      });
      body.appendChild(pair);
      body.appendChild(el("h3", null, t("left") + ": " + scenario.title));
    } else {
      body.appendChild(el("h2", "terr-panel-title", scenario.title));
    }
    if (!s.swipe) {
      body.appendChild(el("p", "terr-panel-figures", figuresText(s, scenario.totals)));
    }
    body.appendChild(el("p", "terr-panel-summary", scenario.summary));
    if (scenario.notes.length) {
      body.appendChild(el("h3", null, t("notes")));
      const notes = el("ul", "terr-panel-notes");
      scenario.notes.forEach(function (note) {
        notes.appendChild(el("li", null, note));
      });
      body.appendChild(notes);
    }
    body.appendChild(el("h3", null, t("rules")));
    var rules = el("ul", "terr-panel-rules");
    scenario.rules.forEach(function (rule) {
      var item = el("li", null);
      item.appendChild(el("span", "terr-rule-what", ruleText(s, rule)));
      if (rule.claim) {
        item.appendChild(el("span", "terr-rule-claim", rule.claim));
      }
      rules.appendChild(item);
    });
    body.appendChild(rules);
    body.appendChild(el("h3", null, t("source")));
    var source = el("dl", "terr-panel-source");
    sourceLines(scenario.source).forEach(function (pair) {
      source.appendChild(el("dt", null, W["source_" + pair[0]] || pair[0]));
      const value = el("dd");
      if (pair[0] === "url" && /^https?:\/\//i.test(pair[1])) {
        // A link only for http and https; anything else stays text.
        const link = el("a", null, pair[1]);
        link.href = pair[1];
        link.rel = "noopener noreferrer";
        link.target = "_blank";
        value.appendChild(link);
      } else {
        value.textContent = pair[1];
      }
      source.appendChild(value);
    });
    body.appendChild(source);
    if (s.accuracy) {
      body.appendChild(el("h3", null, t("accuracy")));
      body.appendChild(el("p", "terr-panel-accuracy", s.accuracy));
    }
  }

  function panel(map, data) {
    var s = state(map);
    var head = el("div", "terr-head terr-box");
    head.appendChild(el("h1", "terr-page-title", data.title));
    if (data.subtitle) {
      head.appendChild(el("p", "terr-page-subtitle", data.subtitle));
    }
    head.appendChild(el("p", "terr-page-date", data.date_line));
    if (data.line_source) {
      head.appendChild(el("p", "terr-page-date", data.line_source));
    }
    side(map, "head").appendChild(head);
    fitView(s);
    s.accuracy = data.accuracy || "";
    var body = el("section", "terr-panel terr-box");
    side(map, "details").appendChild(body);
    s.listeners.push(function () {
      fillPanel(s, body);
    });
    if (s.data) {
      fillPanel(s, body);
    }
  }

  /* ---------- the time slider of a history page ---------- */

  function goTo(s, index) {
    applyFrame(s, index);
    if (s.line && s.lineFrames) {
      s.line.setLatLngs(framePaths(s));
    }
    show(s);
    if (s.moves) {
      drawMoves(s);
    }
  }

  /* What changed hands since the date before: outlines and town names on the map, km² and
     a small chart of the ground held in the panel. */
  function handovers(map, data) {
    var s = state(map);
    pane(map, "terr-moves", 440);
    var box = el("section", "terr-moves terr-box");
    box.setAttribute("aria-live", "polite");
    var details = side(map, "details");
    details.insertBefore(box, details.firstChild); // first of the details: near the slider
    s.moves = { data: data, box: box, layer: null, markers: [] };
    drawMoves(s);
    map.on("zoomend moveend", function () {
      declutterMoves(s);
    });
  }

  /* The towns' names that changed hands, largest first, each shown only where it covers
     no name shown before it (the panel lists them all). */
  function declutterMoves(s) {
    var kept = [];
    s.moves.markers.forEach(function (marker) {
      var tip = marker.getTooltip();
      var node = tip?.getElement();
      if (!node) {
        return;
      }
      node.style.visibility = "";
      var box = node.getBoundingClientRect();
      if (kept.some(overlaps.bind(null, box))) {
        node.style.visibility = "hidden";
      } else {
        kept.push(box);
      }
    });
  }

  function drawMoves(s) {
    var moved = s.moves,
      data = moved.data,
      frame = data.frames[s.frame],
      map = s.map;
    if (moved.layer) {
      map.removeLayer(moved.layer);
    }
    var group = L.featureGroup();
    moved.markers = [];
    [
      ["taken", "to_russia"],
      ["retaken", "to_ukraine"],
    ].forEach(function (kind) {
      if (frame[kind[0]] === null) {
        return;
      }
      var look = data.style[kind[1]];
      group.addLayer(
        L.polygon(shapeLatLngs(s, frame[kind[0]]), {
          pane: "terr-moves",
          interactive: false,
          className: "terr-move terr-move-" + kind[0],
          color: look.color,
          weight: 3,
          dashArray: look.dash,
          fillColor: look.color,
          fillOpacity: 0.25,
        }),
      );
    });
    frame.towns.forEach(function (town, i) {
      var marker = L.circleMarker(frame.points[i], {
        pane: "terr-moves",
        radius: 6,
        className: "terr-move-town",
        color: "#000000",
        weight: 2,
        fillColor: data.style[town[2] === "to_ukraine" ? "to_ukraine" : "to_russia"].color,
        fillOpacity: 1,
      });
      marker.bindTooltip(town[0], {
        permanent: true,
        direction: "auto", // away from the edge of the map
        className: "terr-move-label",
      });
      group.addLayer(marker);
      moved.markers.push(marker);
    });
    group.addTo(map);
    moved.layer = group;
    declutterMoves(s);
    fillMoves(s, moved.box, frame);
  }

  function fillMoves(s, box, frame) {
    var data = s.moves.data,
      dates = s.data.frames.map(function (f) {
        return f.date;
      });
    box.textContent = "";
    box.appendChild(el("h2", "terr-moves-title", t("since_before")));
    var text;
    if (s.frame === 0) {
      text = t("first_date");
    } else {
      text = t("since", {
        date: longDate(dates[s.frame - 1]),
        taken: km2(frame.taken_km2),
        retaken: km2(frame.retaken_km2),
      });
    }
    box.appendChild(el("p", "terr-moves-figures", text));
    if (frame.towns.length) {
      const names = frame.towns.map(function (town) {
        const to = t(town[2] === "to_ukraine" || town[2] === "to_russia" ? town[2] : "contested");
        return town[0] + " (" + people(town[1]) + ", " + to + ")";
      });
      box.appendChild(el("p", "terr-moves-towns", t("towns", { names: names.join("; ") })));
    }
    box.appendChild(heldChart(data.held_km2, s.frame, dates));
  }

  /* The km² Russia held on each date, as a line, with the date shown marked. */
  function heldChart(values, at, dates) {
    var ns = "http://www.w3.org/2000/svg",
      width = 240,
      height = 56,
      pad = 4;
    var low = Math.min.apply(null, values),
      high = Math.max.apply(null, values);
    var span = high - low || 1;
    function x(i) {
      return pad + ((width - 2 * pad) * i) / Math.max(1, values.length - 1);
    }
    function y(v) {
      return height - pad - ((height - 2 * pad) * (v - low)) / span;
    }
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("class", "terr-moves-chart");
    svg.setAttribute("viewBox", "0 0 " + width + " " + height);
    svg.setAttribute("role", "img");
    svg.setAttribute(
      "aria-label",
      t("held_chart", {
        first: longDate(dates[0]),
        last: longDate(dates[dates.length - 1]),
        from_km2: km2(values[0]),
        to_km2: km2(values[values.length - 1]),
        now_km2: km2(values[at]),
      }),
    );
    var path = document.createElementNS(ns, "polyline");
    path.setAttribute(
      "points",
      values
        .map(function (v, i) {
          return x(i).toFixed(1) + "," + y(v).toFixed(1);
        })
        .join(" "),
    );
    path.setAttribute("class", "terr-moves-line");
    svg.appendChild(path);
    var dot = document.createElementNS(ns, "circle");
    dot.setAttribute("cx", x(at).toFixed(1));
    dot.setAttribute("cy", y(values[at]).toFixed(1));
    dot.setAttribute("r", "3.5");
    dot.setAttribute("class", "terr-moves-now");
    svg.appendChild(dot);
    var figure = el("figure", "terr-moves-held");
    figure.appendChild(el("figcaption", null, t("held_now", { km2: km2(values[at]) })));
    figure.appendChild(svg);
    return figure;
  }

  function timeline(map, data) {
    var s = state(map);
    var dates = data.dates,
      last = dates.length - 1,
      timer = null;
    var box = el("div", "terr-timeline terr-box");
    var shown = el("p", "terr-timeline-date");
    shown.setAttribute("aria-live", "polite");
    var range = el("input", "terr-timeline-range");
    range.type = "range";
    range.min = "0";
    range.max = String(last);
    range.step = "1";
    range.value = String(s.frame);
    range.setAttribute("aria-label", t("slider"));
    var buttons = el("div", "terr-timeline-buttons");
    function button(text, label, onClick) {
      var node = el("button", "terr-timeline-button", text);
      node.type = "button";
      node.setAttribute("aria-label", label);
      node.addEventListener("click", onClick);
      buttons.appendChild(node);
      return node;
    }
    function update() {
      shown.textContent = longDate(dates[s.frame]);
      range.value = String(s.frame);
      range.setAttribute("aria-valuetext", longDate(dates[s.frame]));
    }
    function go(index) {
      goTo(s, Math.max(0, Math.min(last, index)));
      update();
    }
    function stop() {
      if (timer !== null) {
        clearInterval(timer);
        timer = null;
      }
      if (play.textContent !== "\u25b6") {
        // Unchanged while nothing plays: a button rewritten on every step of the slider
        // would make the browser lay the page out again.
        play.textContent = "\u25b6";
        play.setAttribute("aria-label", t("play"));
      }
    }
    range.addEventListener("input", function () {
      stop();
      go(Number(range.value));
    });
    button("\u2039", t("back"), function () {
      stop();
      go(s.frame - 1);
    });
    var play = button("\u25b6", t("play"), function () {
      if (timer !== null) {
        stop();
        return;
      }
      if (s.frame === last) {
        go(0);
      }
      play.textContent = "\u275a\u275a";
      play.setAttribute("aria-label", t("pause"));
      timer = setInterval(function () {
        if (s.frame >= last) {
          stop();
          return;
        }
        go(s.frame + 1);
      }, 800);
    });
    button("\u203a", t("forward"), function () {
      stop();
      go(s.frame + 1);
    });
    var first = el("span", "terr-timeline-end", longDate(dates[0]));
    var end = el("span", "terr-timeline-end", longDate(dates[last]));
    var ends = el("div", "terr-timeline-ends");
    ends.appendChild(first);
    ends.appendChild(end);
    box.appendChild(shown);
    box.appendChild(range);
    box.appendChild(ends);
    box.appendChild(buttons);
    side(map, "head").appendChild(box);
    update();
    fitView(s);
  }

  /* ---------- controls: scenario switcher, overlays, swipe ---------- */

  function checkbox(parent, text, checked, onChange, className) {
    var label = el("label", "terr-check " + (className || ""));
    var input = el("input");
    input.type = "checkbox";
    input.checked = checked;
    input.addEventListener("change", function () {
      onChange(input.checked);
    });
    label.appendChild(input);
    label.appendChild(el("span", null, text));
    parent.appendChild(label);
    return input;
  }

  /* A checkbox that shows or hides an overlay (and lets the labels take the room it frees). */
  function layerToggle(s, box, layer, text, className) {
    checkbox(
      box,
      text,
      true,
      function (on) {
        if (on) {
          layer.addTo(s.map);
        } else {
          s.map.removeLayer(layer);
        }
        placeLabels(s);
      },
      className,
    );
  }

  function scenarioSelect(s, chosen, onChange, className) {
    var select = el("select", className);
    s.data.scenarios.forEach(function (scenario, i) {
      var option = el("option", null, scenario.title);
      option.value = String(i);
      select.appendChild(option);
    });
    select.value = String(chosen);
    select.addEventListener("change", function () {
      onChange(Number(select.value));
    });
    return select;
  }

  function switcher(map, data) {
    var s = state(map);
    var box = el("form", "terr-switcher terr-box");
    box.addEventListener("submit", function (event) {
      event.preventDefault();
    });
    box.appendChild(el("h2", "terr-heading", t("scenario")));
    var radios = [];
    var name = "terr-scenario-" + L.stamp(map);
    s.data.scenarios.forEach(function (scenario, i) {
      var label = el("label", "terr-radio");
      var input = el("input");
      input.type = "radio";
      input.name = name;
      input.value = scenario.id;
      input.checked = i === s.active;
      input.addEventListener("change", function () {
        if (input.checked) {
          activate(map, i);
        }
      });
      label.appendChild(input);
      label.appendChild(el("span", null, scenario.title));
      box.appendChild(label);
      radios.push(input);
    });
    s.listeners.push(function () {
      radios[s.active].checked = true;
    });
    box.appendChild(el("h2", "terr-heading", t("show")));
    function outlineText() {
      return t("outline", { date: longDate(s.data.snapshot.date) });
    }
    var outline = checkbox(
      box,
      outlineText(),
      s.showChanges,
      function (on) {
        s.showChanges = on;
        show(s);
      },
      "terr-toggle-changes",
    );
    s.listeners.push(function () {
      outline.nextSibling.textContent = outlineText(); // the date shown, on a history page
    });
    if (s.line) {
      layerToggle(s, box, s.line, data.line_label, "terr-toggle-line");
    }
    if (s.places) {
      layerToggle(s, box, s.places, data.places_label, "terr-toggle-places");
    }
    side(map, "controls").insertBefore(box, side(map, "controls").firstChild);
    placeLabels(s);
  }

  /* Swipe: the left scenario in one pane, the right one in another, each clipped to its side
     of a divider the reader drags. */
  function clipSides(s) {
    var map = s.map,
      size = map.getSize();
    var x = Math.round(size.x * s.fraction);
    var nw = map.containerPointToLayerPoint([0, 0]);
    var se = map.containerPointToLayerPoint(size);
    var mid = map.containerPointToLayerPoint([x, 0]).x;
    function polygon(x0, x1) {
      return (
        "polygon(" +
        x0 +
        "px " +
        nw.y +
        "px, " +
        x1 +
        "px " +
        nw.y +
        "px, " +
        x1 +
        "px " +
        se.y +
        "px, " +
        x0 +
        "px " +
        se.y +
        "px)"
      );
    }
    map.getPane("terr-left").style.clipPath = s.swipe ? polygon(nw.x, mid) : "";
    map.getPane("terr-right").style.clipPath = s.swipe ? polygon(mid, se.x) : "";
    s.divider.style.left = x + "px";
    s.divider.hidden = !s.swipe;
    s.handle.setAttribute("aria-valuenow", String(Math.round(s.fraction * 100)));
    s.handle.setAttribute(
      "aria-valuetext",
      t("divider_value", { share: Math.round(s.fraction * 100) }),
    );
    placeTags(s, x);
    keepClear(s);
    if (!s.labelFrame) {
      // Labels give way to the divider; once a frame while it moves.
      s.labelFrame = requestAnimationFrame(function () {
        s.labelFrame = null;
        placeLabels(s);
      });
    }
  }

  /* The names of the two sides, on the map either side of the divider. */
  function placeTags(s, x) {
    if (!s.tags) {
      return;
    }
    var width = s.map.getSize().x,
      left = s.tags.left.style,
      right = s.tags.right.style;
    s.tags.left.hidden = s.tags.right.hidden = !s.swipe;
    s.tags.left.textContent = t("tag_left", { title: s.data.scenarios[s.left].title });
    s.tags.right.textContent = t("tag_right", { title: s.data.scenarios[s.right].title });
    if (narrow(s.map)) {
      // No room beside the divider: one tag at each edge, under the folded column.
      left.top = right.top = (s.side ? s.side.offsetHeight + 16 : 10) + "px";
      left.left = "10px";
      left.right = right.left = "auto";
      right.right = "10px";
      left.maxWidth = right.maxWidth = Math.floor(width / 2 - 15) + "px";
      return;
    }
    left.top = right.top = "10px";
    left.left = right.right = "auto";
    left.right = width - x + 8 + "px";
    left.maxWidth = Math.max(x - SIDE_WIDTH - 36, 80) + "px";
    right.left = x + 8 + "px";
    right.maxWidth = Math.max(width - x - 70, 80) + "px"; // clear of the zoom buttons
  }

  /* Where the divider starts: over the place the two scenarios differ, when it is in the
     part of the map the panels leave free; else in the middle of that part. */
  function startFraction(s) {
    var map = s.map,
      width = map.getSize().x;
    var start = s.side && !narrow(map) ? SIDE_WIDTH + 20 : 0;
    var middle = width > 2 * start ? (start + width) / 2 / width : 0.5;
    if (!s.at || s.left !== s.atPair[0] || s.right !== s.atPair[1]) {
      return middle;
    }
    var x = map.latLngToContainerPoint(s.at).x;
    if (x < start + 40 || x > width - 40) {
      return middle;
    }
    return x / width;
  }

  /* On a phone the divider runs from under the scenario tags to above the legend button:
     it crosses no title, tag or button. */
  function keepClear(s) {
    var style = s.divider.style;
    if (!narrow(s.map) || !s.swipe) {
      style.top = style.bottom = s.handle.style.top = "";
      return;
    }
    s.handle.style.top = "85%"; // in reach of a thumb, and off the change it opens on
    var frame = s.map.getContainer().getBoundingClientRect();
    var top = s.tags.left.getBoundingClientRect().bottom - frame.top + 6;
    var legend = s.legend ? frame.bottom - s.legend.getBoundingClientRect().top + 6 : 30;
    style.top = Math.max(0, Math.round(top)) + "px";
    style.bottom = Math.max(30, Math.round(legend)) + "px";
  }

  /* The divider's range: clear of the column beside the map, on a wide screen. */
  function dividerRange(s) {
    var width = s.map.getSize().x;
    var low = s.side && !narrow(s.map) ? (SIDE_WIDTH + 30) / width : 0.02;
    return [Math.min(low, 0.5), 0.98];
  }

  function moveDivider(s, fraction) {
    var range = dividerRange(s);
    s.fraction = Math.min(range[1], Math.max(range[0], fraction));
    clipSides(s);
  }

  function dragDivider(s) {
    var map = s.map,
      dragging = false;
    function moveTo(event) {
      var box = map.getContainer().getBoundingClientRect();
      moveDivider(s, (event.clientX - box.left) / box.width);
    }
    // By keyboard: the handle is a slider; arrows move it, Home and End to the ends.
    s.handle.addEventListener("keydown", function (event) {
      var steps = { ArrowLeft: -0.02, ArrowDown: -0.02, ArrowRight: 0.02, ArrowUp: 0.02 };
      if (event.key in steps) {
        moveDivider(s, s.fraction + steps[event.key] * (event.shiftKey ? 5 : 1));
      } else if (event.key === "Home" || event.key === "End") {
        moveDivider(s, event.key === "Home" ? 0 : 1);
      } else {
        return;
      }
      event.preventDefault();
      event.stopPropagation();
    });
    s.divider.addEventListener("pointerdown", function (event) {
      dragging = true;
      map.dragging.disable();
      if (s.divider.setPointerCapture) {
        s.divider.setPointerCapture(event.pointerId);
      }
      event.preventDefault();
      event.stopPropagation();
    });
    s.divider.addEventListener("pointermove", function (event) {
      if (dragging) {
        moveTo(event);
      }
    });
    function stop() {
      if (dragging) {
        dragging = false;
        map.dragging.enable();
      }
    }
    s.divider.addEventListener("pointerup", stop);
    s.divider.addEventListener("pointercancel", stop);
    L.DomEvent.disableClickPropagation(s.divider);
  }

  function swipe(map, data) {
    var s = state(map);
    s.left = indexOf(s, data.left, s.active);
    s.right = indexOf(s, data.right, s.right);
    s.divider = el("div", "terr-divider");
    s.handle = el("div", "terr-divider-handle", "\u2194");
    s.handle.tabIndex = 0;
    s.handle.setAttribute("role", "slider");
    s.handle.setAttribute("aria-label", t("divider"));
    s.handle.setAttribute("aria-valuemin", "0");
    s.handle.setAttribute("aria-valuemax", "100");
    s.divider.appendChild(s.handle);
    s.divider.title = t("drag");
    s.divider.hidden = true;
    map.getContainer().appendChild(s.divider);
    s.tags = { left: el("div", "terr-swipe-tag"), right: el("div", "terr-swipe-tag") };
    map.getContainer().appendChild(s.tags.left);
    map.getContainer().appendChild(s.tags.right);
    s.at = data.at || null;
    s.atPair = [s.left, s.right];
    dragDivider(s);
    var box = el("div", "terr-swipe terr-box");
    var choices = el("div", "terr-swipe-choices");
    var left = scenarioSelect(
      s,
      s.left,
      function (i) {
        s.active = i;
        s.left = i;
        show(s);
      },
      "terr-swipe-left",
    );
    var right = scenarioSelect(
      s,
      s.right,
      function (i) {
        s.right = i;
        show(s);
      },
      "terr-swipe-right",
    );
    var leftLabel = el("label", null, t("swipe_left"));
    leftLabel.appendChild(left);
    var rightLabel = el("label", null, t("swipe_right"));
    rightLabel.appendChild(right);
    choices.appendChild(leftLabel);
    choices.appendChild(rightLabel);
    choices.hidden = true;
    var toggle = checkbox(
      box,
      t("swipe"),
      false,
      function (on) {
        s.swipe = on;
        s.left = s.active;
        if (on) {
          s.fraction = startFraction(s);
        }
        choices.hidden = !on;
        show(s);
        clipSides(s);
      },
      "terr-toggle-swipe",
    );
    box.appendChild(choices);
    s.listeners.push(function () {
      left.value = String(s.left);
      right.value = String(s.right);
      placeTags(s, Math.round(map.getSize().x * s.fraction));
    });
    side(map, "controls").appendChild(box);
    map.on("move zoomend resize viewreset", function () {
      clipSides(s);
    });
    if (data.on) {
      // A page made to compare two scenarios opens on them, side by side.
      const opening = s.left;
      toggle.checked = true;
      toggle.dispatchEvent(new Event("change"));
      s.left = opening;
      s.active = opening;
      show(s);
    }
    clipSides(s);
    placeLabels(s);
  }

  function iconDefaults(images) {
    L.Icon.Default.imagePath = "";
    L.Icon.Default.mergeOptions({
      iconUrl: images["marker-icon.png"],
      iconRetinaUrl: images["marker-icon-2x.png"],
      shadowUrl: images["marker-shadow.png"],
    });
  }

  return {
    decode: decode,
    land: land,
    zones: zones,
    activate: activate,
    line: line,
    places: places,
    legend: legend,
    timeline: timeline,
    handovers: handovers,
    embed: embed,
    panel: panel,
    shapes: shapes,
    switcher: switcher,
    swipe: swipe,
    state: state,
    iconDefaults: iconDefaults,
    maps: maps,
    // For the sketch runtime (sketch.js, on pages made with --sketch).
    kit: {
      el: el,
      t: t,
      km2: km2,
      people: people,
      longDate: longDate,
      side: side,
      shapeLatLngs: shapeLatLngs,
      stopEvents: stopEvents,
    },
  };
})();
