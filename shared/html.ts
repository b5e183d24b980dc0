// HTML escaping for documents Holdfast writes itself (custody forms, reports): every value that
// goes into markup, text or an attribute goes through escapeHtml, so text can never become markup.

const htmlEntities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text safe in HTML content and in quoted attribute values; null and undefined become ''. */
export function escapeHtml(value: string | number | boolean | null | undefined): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => htmlEntities[c]);
}
