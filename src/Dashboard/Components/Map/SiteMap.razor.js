// The browser half of SiteMap.razor: one Leaflet map per component, markers kept by id and changed in place so
// a live update never moves the user's zoom or pan. No inline script, no eval, nothing fetched from elsewhere
// unless a tile URL is configured: it runs under the dashboard's script-src 'self' Content-Security-Policy.

// Leaflet 1.9's UMD build defines window.L when run as a module; resolved relative to this file, so it works
// under any path base.
import '../../lib/leaflet/leaflet.js';

const L = window.L;
const leafletCss = new URL('../../lib/leaflet/leaflet.css', import.meta.url).href;

// The map's stylesheet is linked here rather than in App.razor, so pages without a map do not load it, and
// rather than through <HeadContent>, which shows only the last one rendered and would fight the page's own.
function ensureLeafletCss() {
    const present = [...document.querySelectorAll('link[rel="stylesheet"]')].find(l => l.href === leafletCss);
    if (present) {
        return present.sheet ? Promise.resolve() : new Promise(done => present.addEventListener('load', done, { once: true }));
    }
    const link = document.createElement('link');
    link.rel = 'stylesheet';
    link.href = leafletCss;
    const loaded = new Promise(done => {
        link.addEventListener('load', done, { once: true });
        // Without the stylesheet the map is ugly but its markers still work: do not hang on a failed load.
        link.addEventListener('error', done, { once: true });
    });
    document.head.appendChild(link);
    return loaded;
}

// A div icon whose content is text (never colour alone), set through textContent so a label cannot inject markup.
const SiteIcon = L.DivIcon.extend({
    createIcon(oldIcon) {
        const el = L.DivIcon.prototype.createIcon.call(this, oldIcon);
        paint(el, this.options.marker, null);
        return el;
    },
});

function classes(cssClass) {
    return (cssClass || '').split(/\s+/).filter(c => c.length > 0);
}

function paint(el, m, previous) {
    if (previous) {
        el.classList.remove(...classes(previous.cssClass));
    }
    el.classList.add(...classes(m.cssClass));
    el.textContent = m.label;
    el.title = m.title;
    el.setAttribute('aria-label', m.title);
    el.dataset.testid = 'map-marker-' + m.id;
    el.dataset.level = m.cssClass;
}

function iconFor(m) {
    // iconSize null: the label's own text sets the size; CSS centres it on the point (see .map-marker in viz.css).
    return new SiteIcon({ className: 'map-marker', html: '', iconSize: null, marker: m });
}

class SiteMap {
    constructor(element, options, dotNet) {
        this.dotNet = dotNet;
        this.markers = new Map();
        this.fitted = false;
        this.map = L.map(element, {
            attributionControl: true,
            // Keyboard users reach markers with Tab; Leaflet makes each one a focusable button.
            keyboard: true,
            zoomSnap: 0.5,
        });
        if (options.tileUrl) {
            L.tileLayer(options.tileUrl, { attribution: options.attribution || '', maxZoom: 19 }).addTo(this.map);
        } else {
            element.classList.add('site-map-no-tiles');
        }
    }

    update(markers) {
        const seen = new Set();
        for (const m of markers) {
            seen.add(m.id);
            const existing = this.markers.get(m.id);
            if (existing) {
                const previous = existing.options.icon.options.marker;
                existing.setLatLng([m.lat, m.lon]);
                // Change the element in place: setIcon would replace it and drop the keyboard focus.
                existing.options.icon.options.marker = m;
                const el = existing.getElement();
                if (el) {
                    paint(el, m, previous);
                }
            } else {
                const marker = L.marker([m.lat, m.lon], { icon: iconFor(m), keyboard: true, riseOnHover: true });
                marker.on('click', () => this.select(marker.options.icon.options.marker.id));
                // Leaflet makes a marker a focusable button but only opens popups on Enter; we have no popup.
                marker.on('keypress', e => {
                    if (e.originalEvent.key === 'Enter') {
                        this.select(marker.options.icon.options.marker.id);
                    }
                });
                marker.addTo(this.map);
                this.markers.set(m.id, marker);
            }
        }
        for (const [id, marker] of this.markers) {
            if (!seen.has(id)) {
                marker.remove();
                this.markers.delete(id);
            }
        }
        // Fit once, when there is first something to show; after that the view is the user's.
        if (!this.fitted && this.markers.size > 0) {
            const bounds = L.latLngBounds(markers.map(m => [m.lat, m.lon]));
            this.map.fitBounds(bounds, { padding: [32, 32], maxZoom: 15 });
            this.fitted = true;
        }
    }

    select(id) {
        if (!this.dotNet) {
            return;
        }
        // The circuit may be gone (page closing, server restarting); a lost click is not an error worth a console line.
        this.dotNet.invokeMethodAsync('Select', id).catch(() => { });
    }

    dispose() {
        this.map.remove();
        this.markers.clear();
        this.dotNet = null;
    }
}

export async function create(element, options, dotNet, markers) {
    await ensureLeafletCss();
    const map = new SiteMap(element, options, dotNet);
    map.update(markers);
    return map;
}
