// qrcode: draws a QR code as SVG (the only file that speaks it).
import QRCode from 'qrcode';

/** A QR code as a `data:image/svg+xml` URL, for an <img> (the CSP allows data: images, not inline SVG styles). */
export async function qrSvgDataUrl(text: string): Promise<string> {
  const svg = await QRCode.toString(text, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' });
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
}
