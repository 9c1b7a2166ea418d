// Beside a position's candidates: how many ballots abstained there and how many left it blank.
import type { Position, PositionResult } from '@tallyboard/shared';
import { num, t } from '../i18n';

export function PositionCounts({
  position,
  result,
}: {
  position: Position;
  result: PositionResult | undefined;
}) {
  if (!result || typeof result.blank !== 'number') return null;
  return (
    <dl className="position-counts" data-testid="position-counts" data-position={position.id}>
      {position.allowAbstain && (
        <div>
          <dt>{t.tally.abstained}</dt>
          <dd className="num" data-testid="abstained">
            {num(result.abstained)}
          </dd>
        </div>
      )}
      <div>
        <dt>{t.tally.blank}</dt>
        <dd className="num" data-testid="blank">
          {num(result.blank)}
        </dd>
      </div>
    </dl>
  );
}
