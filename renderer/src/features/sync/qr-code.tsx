// A QR code drawn as SVG squares from the qrcode library's module matrix: no image data, no
// innerHTML, so the content security policy has nothing to allow.
import QRCode from 'qrcode';
import { useMemo } from 'react';

export function QrCode({ text, label, size = 208 }: { text: string; label: string; size?: number }) {
  const path = useMemo(() => {
    const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
    const parts: string[] = [];
    for (let y = 0; y < modules.size; y += 1) for (let x = 0; x < modules.size; x += 1) if (modules.get(y, x)) parts.push(`M${x + 4} ${y + 4}h1v1h-1z`);
    return { d: parts.join(''), size: modules.size + 8 };
  }, [text]);
  return (
    <svg role="img" aria-label={label} className="qr-code" width={size} height={size} viewBox={`0 0 ${path.size} ${path.size}`} shapeRendering="crispEdges">
      <rect width={path.size} height={path.size} fill="#fff" />
      <path d={path.d} fill="#000" />
    </svg>
  );
}
