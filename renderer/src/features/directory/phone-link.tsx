// A phone number as a click-to-call link: what a responder presses when chat is down.
import { telHref, type Phone } from '@shared/domain/directory';

export function PhoneLink({ phone, fallbackLabel = 'phone' }: { phone: Phone; fallbackLabel?: string }) {
  return (
    <a className="phone-link" href={telHref(phone.number)} data-testid="phone-link" title={`Call ${phone.number}`}>
      <span className="phone-label">{phone.label || fallbackLabel}</span>
      <span className="phone-number">{phone.number}</span>
    </a>
  );
}
