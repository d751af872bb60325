// Decorative line icons (24×24, stroke = currentColor). Always aria-hidden: the text next to them says it all.
import { svg } from './dom.ts';

const PATHS = {
  check: 'M5 12.5l4.5 4.5L19 7.5',
  cross: 'M6 6l12 12M18 6L6 18',
  alert: 'M12 8v5M12 16.5v.5M10.3 3.9L2.6 17.5A2 2 0 004.3 20.5h15.4a2 2 0 001.7-3L13.7 3.9a2 2 0 00-3.4 0z',
  clock: 'M12 7v5l3 2M21 12a9 9 0 11-18 0 9 9 0 0118 0z',
  camera: 'M4 8h3l2-3h6l2 3h3a1 1 0 011 1v9a1 1 0 01-1 1H4a1 1 0 01-1-1V9a1 1 0 011-1zM12 16.5a3.5 3.5 0 100-7 3.5 3.5 0 000 7z',
  upload: 'M12 16V4M7 9l5-5 5 5M4 16v3a1 1 0 001 1h14a1 1 0 001-1v-3',
  phone: 'M8 2.5h8a1.5 1.5 0 011.5 1.5v16a1.5 1.5 0 01-1.5 1.5H8A1.5 1.5 0 016.5 20V4A1.5 1.5 0 018 2.5zM11 18.5h2',
  mail: 'M3.5 6h17v12h-17zM3.5 6.5l8.5 7 8.5-7',
  id: 'M3 5.5h18v13H3zM6.5 15.5c.4-1.6 1.6-2.5 2.5-2.5s2.1.9 2.5 2.5M9 12a1.7 1.7 0 100-3.4A1.7 1.7 0 009 12zM14 9.5h4M14 12.5h4',
  passport: 'M6 3h11a1 1 0 011 1v16a1 1 0 01-1 1H6zM12 14a3 3 0 100-6 3 3 0 000 6zM9.5 17.5h5',
  face: 'M12 21c4 0 7-4 7-9.5S16 3 12 3 5 6 5 11.5 8 21 12 21zM9.5 10.5v.5M14.5 10.5v.5M10 15c1.2 1 2.8 1 4 0',
  home: 'M4 11l8-7 8 7M6 9.5V20h12V9.5M10 20v-5h4v5',
  wallet: 'M4 7h15a1 1 0 011 1v11a1 1 0 01-1 1H4a1 1 0 01-1-1V6a2 2 0 012-2h11M16 13.5h.5',
  chip: 'M7 7h10v10H7zM10 3v4M14 3v4M10 17v4M14 17v4M3 10h4M3 14h4M17 10h4M17 14h4',
  qr: 'M4 4h6v6H4zM14 4h6v6h-6zM4 14h6v6H4zM14 14h2v2h-2zM18 18h2v2h-2zM14 18h2M18 14h2',
  wifiOff: 'M3 3l18 18M8.5 16.5a5 5 0 017 0M5 12.5a10 10 0 014.2-2.3M14.8 10.2A10 10 0 0119 12.5M2 8.8a15 15 0 014.3-2.6M12 20h.01',
  link: 'M10 14a4 4 0 005.7 0l3-3A4 4 0 0013 5.3l-1 1M14 10a4 4 0 00-5.7 0l-3 3A4 4 0 0011 18.7l1-1',
  copy: 'M9 9h11v11H9zM5 15H4V4h11v1',
  arrow: 'M4 12h15M13 6l6 6-6 6',
  file: 'M6 3h8l5 5v13H6zM14 3v5h5',
} as const;

export type IconName = keyof typeof PATHS;

export function icon(name: IconName, className = 'tsr-icon'): SVGElement {
  return svg(
    'svg',
    { viewBox: '0 0 24 24', 'aria-hidden': 'true', focusable: 'false', class: className, fill: 'none', stroke: 'currentColor', 'stroke-width': 2, 'stroke-linecap': 'round', 'stroke-linejoin': 'round' },
    svg('path', { d: PATHS[name] }),
  );
}
