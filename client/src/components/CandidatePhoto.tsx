// A candidate's photo in a fixed box, falling back to initials when there is none or it fails.
import { useState } from 'react';

export function initials(name: string): string {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((w) => w[0]?.toUpperCase() ?? '')
    .join('');
}

export function CandidatePhoto({
  name,
  url,
  size = 'md',
}: {
  name: string;
  url: string | null;
  size?: 'sm' | 'md';
}) {
  const [failed, setFailed] = useState(false);
  return (
    <span className={`photo photo-${size}`} aria-hidden="true">
      {url && !failed ? (
        <img
          src={url}
          alt=""
          loading="lazy"
          referrerPolicy="no-referrer"
          onError={() => setFailed(true)}
        />
      ) : (
        <span className="photo-initials">{initials(name)}</span>
      )}
    </span>
  );
}
