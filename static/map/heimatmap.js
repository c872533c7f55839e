/* global L, Supercluster */
// The public map of heimatruhr-geo: a Streamlit custom component (v2) without an iframe.
//
// heimatruhr_geo/ui/map_component.py registers a tiny loader that imports this module and
// calls render(component) on every script run. The Leaflet map is created once per root
// element and survives reruns; each call only applies what changed (selection, layers,
// choropleth, focus). Records come once per data version from a JSON document
// (heimatruhr_geo/mapdata.py); only small state travels per rerun. Text from the data is
// only ever put into the page with textContent.

const SERIAL = Symbol('hr-serial');

/** Load a classic script once (Leaflet and supercluster are UMD builds). */
function loadScript(src, globalName) {
  if (window[globalName]) {
    return Promise.resolve();
  }
  window.__hrScripts = window.__hrScripts || {};
  if (!window.__hrScripts[src]) {
    window.__hrScripts[src] = new Promise((resolve, reject) => {
      const script = document.createElement('script');
      script.src = src;
      script.async = false;
      script.addEventListener('load', () => resolve());
      script.addEventListener('error', () => reject(new Error(`cannot load ${src}`)));
      document.head.appendChild(script);
    });
  }
  return window.__hrScripts[src];
}

/** Add a stylesheet to the document once. */
function loadCss(href) {
  for (const link of document.querySelectorAll('link[data-hr-css]')) {
    if (link.dataset.hrCss === href) {
      return;
    }
  }
  const link = document.createElement('link');
  link.rel = 'stylesheet';
  link.href = href;
  link.dataset.hrCss = href;
  document.head.appendChild(link);
}

const jsonCache = new Map();

/** Fetch a JSON document once per URL (the URLs carry a content hash). */
function fetchJson(url) {
  if (!jsonCache.has(url)) {
    const promise = fetch(url).then((response) => {
      if (!response.ok) {
        throw new Error(`${response.status} ${url}`);
      }
      return response.json();
    });
    promise.catch(() => jsonCache.delete(url));
    jsonCache.set(url, promise);
  }
  return jsonCache.get(url);
}

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) {
    node.className = className;
  }
  if (text !== undefined && text !== null) {
    node.textContent = String(text);
  }
  return node;
}

const CODE_CHARS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const CODE_OF = new Map([...CODE_CHARS].map((c, i) => [c, i]));

/** The text of row i of an encoded column (see mapdata.py); '' when not given. */
function cell(column, i) {
  if (!column) {
    return '';
  }
  let value;
  if (column.v !== undefined) {
    value = column.v[i];
  } else if (column.s !== undefined) {
    value = column.t[CODE_OF.get(column.s.charAt(i))];
  } else {
    value = column.t[column.c[i]];
  }
  return value === null || value === undefined ? '' : String(value);
}

/** The text of row i of a sparse column ({t, i, c}: only the rows listed); '' otherwise. */
function sparseCell(column, i) {
  if (!column || !column.i) {
    return '';
  }
  if (!column.byRow) {
    column.byRow = new Map(column.i.map((row, k) => [row, column.t[column.c[k]]]));
  }
  const value = column.byRow.get(i);
  return value === undefined ? '' : String(value);
}

function decodeBits(text, n) {
  const raw = atob(text || '');
  const bytes = new Uint8Array(Math.ceil(n / 8));
  for (let i = 0; i < bytes.length && i < raw.length; i++) {
    bytes[i] = raw.charCodeAt(i);
  }
  return bytes;
}

function bit(bytes, i) {
  return (bytes[i >> 3] >> (i & 7)) & 1;
}

const numberFormats = new Map();

/** Format a count the language's way (one cached Intl formatter: toLocaleString is slow). */
function formatCount(n, lang) {
  if (!numberFormats.has(lang)) {
    numberFormats.set(lang, new Intl.NumberFormat(lang === 'en' ? 'en-GB' : 'de-DE'));
  }
  return numberFormats.get(lang).format(n);
}

function plural(forms, n, lang) {
  return (n === 1 ? forms.one : forms.other).replace('{n}', formatCount(n, lang));
}

/** Give Leaflet's zoom buttons names in the page's language (title and aria-label). */
function nameZoomButtons(control, labels) {
  const container = control.getContainer();
  const zoomIn = container.querySelector('.leaflet-control-zoom-in');
  const zoomOut = container.querySelector('.leaflet-control-zoom-out');
  for (const [link, text] of [[zoomIn, labels.zoom_in], [zoomOut, labels.zoom_out]]) {
    if (link) {
      link.title = text;
      link.setAttribute('aria-label', text);
    }
  }
}

/**
 * Leaflet focuses the map container on every mouse press and then restores the *window's*
 * scroll position; Streamlit scrolls an inner element, so the page jumped on each click
 * and a marker moved away under the pointer. Focus without scrolling, and leave the focus
 * where it is when it is already inside the map (a marker, a control).
 */
function patchLeafletKeyboard() {
  const proto = L.Map.Keyboard.prototype;
  if (proto.hrPatched) {
    return;
  }
  proto.hrPatched = true;
  proto._onMouseDown = function onMouseDown() {
    const container = this._map._container;
    if (this._focused || container.contains(document.activeElement)) {
      return;
    }
    container.focus({ preventScroll: true });
  };
}

class HeimatMap {
  constructor(root, data) {
    this.root = root;
    this.lang = data.lang;
    this.labels = data.labels;
    this.categories = data.categories;
    this.doc = null;
    this.index = null;
    this.selection = null;
    this.selectionKey = null;
    this.visible = new Set(data.categories.map((c, i) => (c.visible ? i : -1)).filter((i) => i >= 0));
    this.layersKey = null;
    this.choropleth = null;
    this.showChoropleth = true;
    this.viewKey = null;
    this.indexKey = null;
    this.setTrigger = () => {};
    this[SERIAL] = 0;
    this.focusMarker = null;
    this.meMarker = null;
    this.build(data);
  }

  build(data) {
    const root = this.root;
    root.replaceChildren();
    root.setAttribute('role', 'region');
    root.setAttribute('aria-label', data.labels.region);
    root.dataset.state = 'loading';
    const status = el('div', 'hr-status', data.labels.loading);
    status.setAttribute('role', 'status');
    const holder = el('div', 'hr-leaflet');
    // The container itself is a tab stop (arrow keys pan, + and − zoom): give it a name.
    holder.setAttribute('aria-label', data.labels.keys);
    holder.style.width = '100%';
    holder.style.height = '100%';
    root.append(holder, status);
    this.status = status;

    patchLeafletKeyboard();
    const map = L.map(holder, {
      zoomControl: false,
      attributionControl: false,
      minZoom: 7,
      maxZoom: 18,
      zoomSnap: 0.25,
      zoomDelta: 1,
      fadeAnimation: false,
      markerZoomAnimation: false,
    });
    this.map = map;
    root._hrMap = map;
    root._hrView = this;
    map.fitBounds(data.region, { animate: false, padding: [16, 16] });

    L.tileLayer(data.tiles.url, { maxZoom: 18, attribution: data.tiles.attribution }).addTo(map);

    // Controls, in the order Tab reaches them.
    this.zoomControl = L.control.zoom({
      position: 'topleft',
      zoomInTitle: data.labels.zoom_in,
      zoomOutTitle: data.labels.zoom_out,
    }).addTo(map);
    nameZoomButtons(this.zoomControl, data.labels);
    this.addNearMe();
    this.addFullscreen();
    this.addLayersControl();
    this.addLegend();
    L.control.scale({ position: 'bottomleft', imperial: false }).addTo(map);
    L.control.attribution({ position: 'bottomright', prefix: false }).addTo(map);
    // Controls come before the map's panes in the DOM, so they come first in Tab order.
    const container = map.getContainer();
    container.insertBefore(map._controlContainer, container.firstChild);

    this.pane = map.createPane('hrPoints');
    this.pane.classList.add('leaflet-zoom-hide', 'hr-points');
    this.listen(this.pane);
    this.drawn = new Map();
    map.on('viewreset', () => {
      this.pointsStale = true;
    });
    map.on('moveend', () => this.draw());
    map.on('popupopen', () => this.keepLegendClear());
  }

  // ----- controls --------------------------------------------------------------------

  control(position, className, build) {
    const Control = L.Control.extend({
      onAdd: () => {
        const box = el('div', `leaflet-control hr-control ${className}`);
        L.DomEvent.disableClickPropagation(box);
        L.DomEvent.disableScrollPropagation(box);
        build(box);
        return box;
      },
    });
    return new Control({ position }).addTo(this.map);
  }

  addNearMe() {
    this.control('topleft', 'hr-near-me', (box) => {
      const button = el('button', null, this.labels.near_me);
      button.type = 'button';
      button.title = this.labels.near_me;
      const note = el('div', 'hr-note');
      note.setAttribute('role', 'status');
      button.addEventListener('click', () => this.locate(note));
      box.append(button, note);
      this.nearMeButton = button;
    });
  }

  locate(note) {
    note.textContent = '';
    if (!navigator.geolocation) {
      note.textContent = this.labels.near_me_failed;
      return;
    }
    navigator.geolocation.getCurrentPosition(
      (position) => {
        const latlng = [position.coords.latitude, position.coords.longitude];
        if (this.meMarker) {
          this.meMarker.remove();
        }
        this.meMarker = L.marker(latlng, {
          icon: L.divIcon({ className: 'hr-me-marker', iconSize: [16, 16] }),
          keyboard: false,
          title: this.labels.you_are_here,
          interactive: false,
        }).addTo(this.map);
        this.map.setView(latlng, 14, { animate: false });
      },
      () => {
        note.textContent = this.labels.near_me_failed;
      },
      { enableHighAccuracy: false, timeout: 10000, maximumAge: 60000 },
    );
  }

  addFullscreen() {
    this.control('topleft', 'hr-fullscreen', (box) => {
      const button = el('button', null, this.labels.fullscreen);
      button.type = 'button';
      button.title = this.labels.fullscreen;
      button.setAttribute('aria-pressed', 'false');
      button.addEventListener('click', () => {
        if (document.fullscreenElement === this.root) {
          document.exitFullscreen();
        } else if (this.root.requestFullscreen) {
          this.root.requestFullscreen();
        }
      });
      this.onFullscreen = () => {
        const on = document.fullscreenElement === this.root;
        button.textContent = on ? this.labels.fullscreen_exit : this.labels.fullscreen;
        button.title = button.textContent;
        button.setAttribute('aria-pressed', String(on));
        this.map.invalidateSize();
      };
      document.addEventListener('fullscreenchange', this.onFullscreen);
      box.append(button);
    });
  }

  addLayersControl() {
    this.control('topright', 'hr-layers', (box) => {
      const button = el('button', null, this.labels.layers);
      button.type = 'button';
      button.title = this.labels.layers_title;
      button.setAttribute('aria-expanded', 'false');
      const panel = el('div', 'hr-panel');
      panel.hidden = true;
      panel.id = `hr-layers-${Math.random().toString(36).slice(2)}`;
      button.setAttribute('aria-controls', panel.id);
      button.addEventListener('click', () => {
        panel.hidden = !panel.hidden;
        button.setAttribute('aria-expanded', String(!panel.hidden));
      });
      const fieldset = el('fieldset');
      fieldset.append(el('legend', null, this.labels.layers_title));
      this.layerInputs = [];
      this.categories.forEach((category, i) => {
        const label = el('label');
        const input = el('input');
        input.type = 'checkbox';
        input.checked = this.visible.has(i);
        input.addEventListener('change', () => {
          if (input.checked) {
            this.visible.add(i);
          } else {
            this.visible.delete(i);
          }
          this.rebuildIndex();
          this.draw();
        });
        const swatch = el('span', 'hr-swatch hr-dot');
        swatch.style.backgroundColor = category.color;
        swatch.setAttribute('aria-hidden', 'true');
        label.append(input, swatch, el('span', null, category.label));
        fieldset.append(label);
        this.layerInputs.push(input);
      });
      const label = el('label');
      const input = el('input');
      input.type = 'checkbox';
      input.checked = this.showChoropleth;
      input.addEventListener('change', () => {
        this.showChoropleth = input.checked;
        this.restyle();
      });
      this.choroplethInput = input;
      this.choroplethLabel = el('span', null, '');
      label.append(input, this.choroplethLabel);
      fieldset.append(label);
      panel.append(fieldset);
      box.append(button, panel);
    });
  }

  addLegend() {
    this.control('topright', 'hr-legend', (box) => {
      const button = el('button', null, this.labels.legend);
      button.type = 'button';
      button.title = this.labels.legend_show;
      button.setAttribute('aria-expanded', 'false');
      const panel = el('div', 'hr-panel');
      panel.hidden = true;
      panel.id = `hr-legend-${Math.random().toString(36).slice(2)}`;
      // The legend scrolls on short maps and holds no control: a tab stop of its own
      // lets a keyboard user scroll it (WCAG 2.1.1; axe "scrollable-region-focusable").
      panel.tabIndex = 0;
      panel.setAttribute('role', 'region');
      panel.setAttribute('aria-label', this.labels.legend);
      button.setAttribute('aria-controls', panel.id);
      button.addEventListener('click', () => this.toggleLegend(panel.hidden));
      box.append(button, panel);
      this.legendButton = button;
      this.legendPanel = panel;
    });
  }

  toggleLegend(open) {
    this.legendPanel.hidden = !open;
    this.legendButton.setAttribute('aria-expanded', String(open));
    this.legendButton.title = open ? this.labels.legend_hide : this.labels.legend_show;
  }

  fillLegend() {
    const panel = this.legendPanel;
    panel.replaceChildren();
    for (const section of this.legendSections) {
      panel.append(el('h3', null, section.title));
      const list = el('ul');
      for (const entry of section.entries) {
        const item = el('li');
        const shape = entry.shape ? ` hr-shape-${entry.shape}` : '';
        const swatch = el('span', `hr-swatch${section.kind === 'dot' ? ' hr-dot' : ''}${shape}`);
        swatch.style.backgroundColor = entry.color;
        swatch.setAttribute('aria-hidden', 'true');
        item.append(swatch, el('span', null, entry.label));
        list.append(item);
      }
      panel.append(list);
    }
  }

  /** An open popup is never covered by the legend: close it on narrow maps. */
  keepLegendClear() {
    if (!this.legendPanel.hidden && this.map.getSize().x < 640) {
      this.toggleLegend(false);
    }
  }

  // ----- data ----------------------------------------------------------------------

  async update(data, component) {
    this.setTrigger = component.setTriggerValue || this.setTrigger;
    if (this.height !== data.height) {
      this.height = data.height;
      this.map.invalidateSize({ animate: false });
    }
    const [doc, borders] = await Promise.all([fetchJson(data.points), fetchJson(data.borders)]);
    if (this.doc !== doc) {
      this.doc = doc;
      this.selectionKey = null;
    }
    if (!this.bordersLayer) {
      this.addBorders(borders);
    }
    if (data.selection.key !== this.selectionKey) {
      this.selectionKey = data.selection.key;
      this.selection = decodeBits(data.selection.bits, doc.n);
      this.indexKey = null;
    }
    if (data.layers_key !== this.layersKey) {
      this.layersKey = data.layers_key;
      this.visible = new Set(data.categories.map((c, i) => (c.visible ? i : -1)).filter((i) => i >= 0));
      this.layerInputs.forEach((input, i) => {
        input.checked = this.visible.has(i);
      });
      this.showChoropleth = data.show_choropleth;
      this.choroplethInput.checked = this.showChoropleth;
      this.indexKey = null;
    }
    const choroplethKey = data.choropleth ? data.choropleth.key : '';
    if (!this.choropleth || this.choropleth.key !== choroplethKey) {
      this.choropleth = data.choropleth || { key: '', areas: {}, colors: [], legend: [], title: '' };
      this.choroplethLabel.textContent = this.choropleth.title;
      this.choroplethInput.parentElement.hidden = !data.choropleth;
      this.restyle();
      this.legendSections = [...data.legend, ...(data.choropleth ? [{
        title: this.choropleth.title, kind: 'box', entries: this.choropleth.legend,
      }] : [])];
      this.fillLegend();
    }
    if (data.view.key !== this.viewKey) {
      this.viewKey = data.view.key;
      this.applyView(data.view);
    }
    if (this.indexKey === null) {
      this.rebuildIndex();
    }
    this.status.remove();
    this.draw();
  }

  applyView(view) {
    if (this.focusMarker) {
      this.focusMarker.remove();
      this.focusMarker = null;
    }
    if (view.focus) {
      const { lat, lon, zoom, label } = view.focus;
      this.map.setView([lat, lon], zoom, { animate: false });
      this.focusMarker = L.marker([lat, lon], {
        icon: L.divIcon({ className: 'hr-focus-marker', iconSize: [18, 18] }),
        keyboard: false,
        title: label,
        interactive: false,
        zIndexOffset: 1000,
      }).addTo(this.map);
    } else if (view.bounds) {
      this.map.fitBounds(view.bounds, { animate: false, padding: [16, 16] });
    }
  }

  addBorders(geojson) {
    this.bordersLayer = L.geoJSON(geojson, {
      style: (feature) => this.areaStyle(feature),
      onEachFeature: (feature, layer) => {
        layer.bindTooltip(() => this.areaTooltip(feature), { sticky: true, className: 'hr-tooltip' });
      },
    }).addTo(this.map);
    // Municipality shapes are never tab stops (the list view is the text alternative).
    this.bordersLayer.eachLayer((layer) => {
      const path = layer.getElement && layer.getElement();
      if (path) {
        path.setAttribute('tabindex', '-1');
        path.setAttribute('focusable', 'false');
        path.setAttribute('aria-hidden', 'true');
      }
    });
  }

  areaStyle(feature) {
    const area = this.choropleth && this.choropleth.areas[feature.properties.ags];
    if (!this.showChoropleth || !area) {
      return { color: '#1b4f72', weight: 1.2, fillColor: '#5dade2', fillOpacity: 0.12 };
    }
    const [klass] = area;
    if (klass === -2) {
      return { color: '#4d4d4d', weight: 0.8, fillColor: '#ffffff', fillOpacity: 0 };
    }
    const fill = klass >= 0 ? this.choropleth.colors[klass] : this.choropleth.none;
    return { color: '#4d4d4d', weight: 0.8, fillColor: fill, fillOpacity: 0.65 };
  }

  areaTooltip(feature) {
    const box = el('div');
    box.append(el('strong', null, feature.properties.name));
    const area = this.choropleth && this.choropleth.areas[feature.properties.ags];
    if (this.showChoropleth && area) {
      box.append(el('div', null, `${this.choropleth.title}: ${area[1]}`));
    } else {
      box.append(el('div', null, feature.properties.county));
    }
    return box;
  }

  restyle() {
    if (this.bordersLayer) {
      this.bordersLayer.setStyle((feature) => this.areaStyle(feature));
    }
  }

  rebuildIndex() {
    const doc = this.doc;
    if (!doc || !this.selection) {
      return;
    }
    const features = [];
    const cats = doc.cat;
    for (let i = 0; i < doc.n; i++) {
      const c = cats.charCodeAt(i) - 48;
      if (bit(this.selection, i) && this.visible.has(c)) {
        features.push({
          type: 'Feature',
          properties: { i, c },
          geometry: { type: 'Point', coordinates: [doc.lon[i] / 1e5, doc.lat[i] / 1e5] },
        });
      }
    }
    const k = this.categories.length;
    this.index = new Supercluster({
      radius: 60,
      maxZoom: 17,
      map: (props) => {
        const counts = new Array(k).fill(0);
        counts[props.c] = 1;
        return { counts };
      },
      reduce: (acc, props) => {
        for (let j = 0; j < k; j++) {
          acc.counts[j] += props.counts[j];
        }
      },
    }).load(features);
    this.indexKey = `${this.selectionKey}|${[...this.visible].join(',')}`;
    for (const node of this.drawn.values()) {
      node.remove();
    }
    this.drawn = new Map();
    this.root.dataset.selected = String(features.length);
  }

  // ----- drawing -------------------------------------------------------------------

  draw() {
    if (!this.index || !this.doc) {
      return;
    }
    const map = this.map;
    const bounds = map.getBounds().pad(0.1);
    const zoom = Math.floor(map.getZoom());
    const items = this.index.getClusters(
      [
        Math.max(-180, bounds.getWest()),
        Math.max(-85, bounds.getSouth()),
        Math.min(180, bounds.getEast()),
        Math.min(85, bounds.getNorth()),
      ],
      zoom,
    );
    // Markers that stay in view keep their element (focus and hover survive a pan); the
    // new ones are built as plain elements and added in one go (no L.Marker per item:
    // a zoom step replaces a few hundred of them).
    const moved = this.pointsZoom !== map.getZoom() || this.pointsStale;
    this.pointsZoom = map.getZoom();
    this.pointsStale = false;
    const next = new Map();
    const fragment = document.createDocumentFragment();
    for (const item of items) {
      const props = item.properties;
      const key = props.cluster ? `c${props.cluster_id}` : `p${props.i}`;
      let node = this.drawn.get(key);
      if (!node) {
        node = props.cluster ? this.clusterNode(item, key) : this.pointNode(props.i, key);
        this.place(node);
        fragment.append(node);
      } else if (moved) {
        this.place(node);
      }
      next.set(key, node);
    }
    for (const [key, node] of this.drawn) {
      if (!next.has(key)) {
        node.remove();
      }
    }
    this.pane.append(fragment);
    this.drawn = next;
    this[SERIAL] += 1;
    this.root.dataset.lang = this.lang;
    this.root.dataset.markers = String(items.length);
    this.root.dataset.serial = String(this[SERIAL]);
    this.root.dataset.state = 'ready';
  }

  /** Put a marker element at its coordinates (relative to the map pane, like Leaflet's). */
  place(node) {
    const point = this.map.latLngToLayerPoint([node.hrLat, node.hrLon]);
    const half = node.hrSize / 2;
    // left/top, not translate3d: a few hundred composited layers are slow to paint.
    node.style.left = `${Math.round(point.x - half)}px`;
    node.style.top = `${Math.round(point.y - half)}px`;
  }

  markerNode(className, key, lat, lon, size, name, color) {
    const node = document.createElement('div');
    node.className = className;
    node.setAttribute('role', 'button');
    node.tabIndex = 0;
    node.title = name;
    node.setAttribute('aria-label', name);
    node.dataset.key = key;
    node.style.width = `${size}px`;
    node.style.height = `${size}px`;
    node.style.backgroundColor = color;
    node.hrLat = lat;
    node.hrLon = lon;
    node.hrSize = size;
    return node;
  }

  pointNode(i, key) {
    const doc = this.doc;
    const c = doc.cat.charCodeAt(i) - 48;
    const category = this.categories[c];
    // An approximate point (a municipality's or district's centre) is a dashed diamond
    // and says so in its name: the shape tells it apart without relying on colour.
    const approx = sparseCell(doc.approx, i);
    const name = approx ? `${doc.title[i]}, ${category.short}, ${approx}` : `${doc.title[i]}, ${category.short}`;
    const node = this.markerNode(
      `hr-marker hr-cat-${c}${approx ? ' hr-approx' : ''}`, key, doc.lat[i] / 1e5, doc.lon[i] / 1e5, 16, name,
      category.color,
    );
    if (approx) {
      node.dataset.approx = '1';
    }
    node.dataset.row = String(i);
    node.hrRow = i;
    return node;
  }

  clusterNode(item, key) {
    const { counts, point_count: count, cluster_id: id } = item.properties;
    let top = 0;
    for (let j = 1; j < counts.length; j++) {
      if (counts[j] > counts[top]) {
        top = j;
      }
    }
    const size = count < 10 ? 30 : count < 100 ? 36 : count < 1000 ? 42 : 50;
    const [lon, lat] = item.geometry.coordinates;
    const name = plural(this.labels.cluster, count, this.lang);
    const node = this.markerNode('hr-cluster', key, lat, lon, size, name, this.categories[top].color);
    const body = el('span', null, formatCount(count, this.lang));
    body.setAttribute('aria-hidden', 'true');
    node.append(body);
    node.dataset.count = String(count);
    node.hrCluster = id;
    return node;
  }

  /** Open a marker's popup or zoom into a cluster (mouse or keyboard). */
  activate(node, byKeyboard) {
    if (node.hrCluster !== undefined) {
      const target = Math.min(this.index.getClusterExpansionZoom(node.hrCluster), this.map.getMaxZoom());
      this.map.setView([node.hrLat, node.hrLon], Math.max(target, Math.floor(this.map.getZoom()) + 1), {
        animate: false,
      });
    } else {
      this.openPopup(node.hrRow, L.latLng(node.hrLat, node.hrLon), byKeyboard);
    }
  }

  /** One set of listeners for all marker elements (event delegation on their pane). */
  listen(pane) {
    const target = (event) => event.target.closest && event.target.closest('.hr-marker, .hr-cluster');
    pane.addEventListener('mousedown', (event) => {
      const node = target(event);
      if (node) {
        event.preventDefault();
        node.focus({ preventScroll: true });
      }
    });
    pane.addEventListener('click', (event) => {
      const node = target(event);
      if (!node) {
        return;
      }
      event.stopPropagation(); // not a click on the map (which would close the popup)
      if (!(this.map.dragging && this.map.dragging.moved())) {
        this.activate(node, false);
      }
    });
    pane.addEventListener('keydown', (event) => {
      const node = target(event);
      if (node && (event.key === 'Enter' || event.key === ' ')) {
        event.preventDefault();
        event.stopPropagation();
        this.activate(node, true);
      }
    });
    // Leaflet's map handlers must not treat presses on markers as map drags or clicks.
    L.DomEvent.disableClickPropagation(pane);
  }

  popupContent(i) {
    const doc = this.doc;
    const c = doc.cat.charCodeAt(i) - 48;
    const box = el('div', 'hr-popup');
    box.append(el('strong', 'hr-title', doc.title[i]));
    if (doc.demo.charAt(i) === '1') {
      box.append(el('span', 'hr-demo', this.labels.demo));
    }
    box.append(el('p', 'hr-kind', this.categories[c].label));
    const approx = sparseCell(doc.approx, i);
    if (approx) {
      box.append(el('p', 'hr-approx-note', approx));
    }
    const list = el('dl');
    for (const fact of doc.facts) {
      const value = cell(fact, i);
      if (value !== '') {
        list.append(el('dt', null, fact.label), el('dd', null, value));
      }
    }
    box.append(list);
    const links = el('div', 'hr-links');
    const web = cell(doc.web, i);
    if (/^https?:\/\/\S+$/i.test(web)) {
      const link = el('a', 'hr-website', this.labels.website);
      link.href = web;
      link.target = '_blank';
      link.rel = 'noopener noreferrer';
      links.append(link);
    } else if (web !== '') {
      links.append(el('span', 'hr-website-text', web));
    }
    const details = el('button', 'hr-details', this.labels.details);
    details.type = 'button';
    details.addEventListener('click', () => this.setTrigger('detail', doc.id[i]));
    links.append(details);
    box.append(links);
    return box;
  }

  openPopup(i, latlng, byKeyboard) {
    const size = this.map.getSize();
    const left = this.controlWidth('.leaflet-left');
    const right = this.controlWidth('.leaflet-right');
    const popup = L.popup({
      maxWidth: Math.min(300, size.x - 40),
      minWidth: Math.min(200, size.x - 60),
      autoPanPaddingTopLeft: L.point(Math.min(left + 8, size.x / 3), 12),
      autoPanPaddingBottomRight: L.point(Math.min(right + 8, size.x / 3), 30),
      closeButton: true,
    })
      .setLatLng(latlng)
      .setContent(this.popupContent(i))
      .openOn(this.map);
    const close = popup.getElement().querySelector('.leaflet-popup-close-button');
    if (close) {
      close.setAttribute('aria-label', this.labels.close);
      close.title = this.labels.close;
    }
    if (byKeyboard) {
      popup.getElement().querySelector('.hr-details').focus();
    }
  }

  controlWidth(selector) {
    let width = 0;
    for (const corner of this.map.getContainer().querySelectorAll(`.leaflet-top${selector}`)) {
      width = Math.max(width, corner.getBoundingClientRect().width);
    }
    return width;
  }

  destroy() {
    document.removeEventListener('fullscreenchange', this.onFullscreen);
    this.map.remove();
    this.root.replaceChildren();
    delete this.root._hrMap;
    delete this.root._hrView;
  }
}

/** Render (or update) the map in the component's element; called on every script run. */
export async function render(component) {
  const { data, parentElement } = component;
  if (!data) {
    return undefined;
  }
  let root = parentElement.querySelector('.hr-map');
  if (!root) {
    root = el('div', 'hr-map');
    parentElement.append(root);
  }
  root.style.height = data.height || '';
  const previous = root._hrQueue || Promise.resolve();
  // Start every download at once: the scripts (executed in order), the styles and the
  // data documents (cached per URL), so that a first load is not a waterfall.
  loadCss(data.assets.leaflet_css);
  loadCss(data.assets.css);
  const scripts = Promise.all([
    loadScript(data.assets.leaflet_js, 'L'),
    loadScript(data.assets.supercluster_js, 'Supercluster'),
  ]);
  const documents = Promise.all([fetchJson(data.points), fetchJson(data.borders)]);
  documents.catch(() => {}); // reported where update() awaits them
  const next = previous.then(async () => {
    await scripts;
    let view = root._hrView;
    if (view && view.lang !== data.lang) {
      const center = view.map.getCenter();
      const zoom = view.map.getZoom();
      view.destroy();
      view = new HeimatMap(root, data);
      view.map.setView(center, zoom, { animate: false });
      view.viewKey = data.view.key;
    } else if (!view) {
      view = new HeimatMap(root, data);
    }
    await view.update(data, component);
  }).catch((error) => {
    root.dataset.state = 'error';
    const note = el('div', 'hr-status', data.labels.load_failed);
    note.setAttribute('role', 'alert');
    root.append(note);
    console.error('heimatmap:', error);
  });
  root._hrQueue = next;
  await next;
  return () => {
    // Called when Streamlit unmounts the element (or an outdated run is cancelled).
    setTimeout(() => {
      if (!root.isConnected && root._hrView) {
        root._hrView.destroy();
      }
    }, 0);
  };
}
