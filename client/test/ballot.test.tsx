// Ballot rules as the voter meets them: limits, radio for N = 1, review, blank confirmation.
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { Selections } from '@tallyboard/shared';
import { ApiError } from '../src/api';
import { toggleCandidate } from '../src/ballot';
import { Ballot } from '../src/components/Ballot';
import { electionFixture } from './fixtures';

function setup(onSubmit = jest.fn<Promise<void>, [Selections]>().mockResolvedValue(undefined)) {
  const user = userEvent.setup();
  render(<Ballot election={electionFixture()} onSubmit={onSubmit} />);
  const chair = screen.getByRole('group', { name: /chair/i });
  const council = screen.getByRole('group', { name: /council/i });
  return { user, onSubmit, chair, council };
}

// The ballot in progress is kept per election in session storage: each test starts afresh.
beforeEach(() => window.sessionStorage.clear());

describe('ballot', () => {
  it('shows "select up to N" and a live counter per position', async () => {
    const { user, council } = setup();
    expect(within(council).getByText('Select up to 2')).toBeInTheDocument();
    expect(within(council).getByText('0 of 2 selected')).toBeInTheDocument();
    await user.click(within(council).getByLabelText(/grace hopper/i));
    expect(within(council).getByText('1 of 2 selected')).toBeInTheDocument();
  });

  it('refuses a choice beyond the limit and says why', async () => {
    const { user, council } = setup();
    await user.click(within(council).getByLabelText(/grace hopper/i));
    await user.click(within(council).getByLabelText(/edsger dijkstra/i));
    const third = within(council).getByLabelText(/barbara liskov/i);
    expect(third).toBeDisabled();
    expect(within(council).getByText(/limit reached/i)).toBeInTheDocument();
    await user.click(within(council).getByLabelText(/grace hopper/i));
    expect(third).toBeEnabled();
  });

  it('behaves like radio buttons when a position allows one choice', async () => {
    const { user, chair } = setup();
    const ada = within(chair).getByRole('radio', { name: /ada lovelace/i });
    const alan = within(chair).getByRole('radio', { name: /alan turing/i });
    await user.click(ada);
    expect(ada).toBeChecked();
    await user.click(alan);
    expect(alan).toBeChecked();
    expect(ada).not.toBeChecked();
    expect(within(chair).getByText('1 of 1 selected')).toBeInTheDocument();
    await user.click(within(chair).getByRole('button', { name: /clear selection/i }));
    expect(alan).not.toBeChecked();
  });

  it('reviews the choices before submitting, and keeps them when going back', async () => {
    const { user, chair, council, onSubmit } = setup();
    await user.click(within(chair).getByLabelText(/ada lovelace/i));
    await user.click(within(council).getByLabelText(/grace hopper/i));
    await user.click(screen.getByRole('button', { name: /review my ballot/i }));
    expect(screen.getByRole('heading', { name: /review your ballot/i })).toBeInTheDocument();
    expect(screen.getByText('Ada Lovelace')).toBeInTheDocument();
    expect(screen.getByText('Grace Hopper')).toBeInTheDocument();
    expect(onSubmit).not.toHaveBeenCalled();

    await user.click(screen.getByRole('button', { name: /change my choices/i }));
    expect(screen.getByRole('radio', { name: /ada lovelace/i })).toBeChecked();
    await user.click(screen.getByRole('button', { name: /review my ballot/i }));
    await user.click(screen.getByRole('button', { name: /submit my ballot/i }));
    expect(onSubmit).toHaveBeenCalledWith({ 'p-chair': ['c-ada'], 'p-council': ['c-grace'] });
  });

  it('asks for confirmation before a blank ballot goes out', async () => {
    const { user, onSubmit } = setup();
    await user.click(screen.getByRole('button', { name: /review my ballot/i }));
    expect(screen.getByText(/your ballot is blank/i)).toBeInTheDocument();
    const submit = screen.getByRole('button', { name: /submit my ballot/i });
    expect(submit).toBeDisabled();
    await user.click(screen.getByLabelText(/submit it anyway/i));
    await user.click(submit);
    expect(onSubmit).toHaveBeenCalledWith({ 'p-chair': [], 'p-council': [] });
  });

  it('names the positions left empty on a partial ballot', async () => {
    const { user, chair } = setup();
    await user.click(within(chair).getByLabelText(/alan turing/i));
    await user.click(screen.getByRole('button', { name: /review my ballot/i }));
    expect(screen.getByText(/you selected nobody for: council/i)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: /submit my ballot/i })).toBeDisabled();
  });

  it('submits once however often the button is pressed', async () => {
    let resolve: () => void = () => undefined;
    const onSubmit = jest
      .fn<Promise<void>, [Selections]>()
      .mockImplementation(() => new Promise<void>((r) => (resolve = r)));
    const { user, chair, council } = setup(onSubmit);
    await user.click(within(chair).getByLabelText(/ada lovelace/i));
    await user.click(within(council).getByLabelText(/grace hopper/i));
    await user.click(screen.getByRole('button', { name: /review my ballot/i }));
    const submit = screen.getByRole('button', { name: /submit my ballot/i });
    await user.click(submit);
    await user.click(screen.getByRole('button', { name: /submitting/i }));
    expect(onSubmit).toHaveBeenCalledTimes(1);
    resolve();
  });

  it('offers a safe retry when the network failed', async () => {
    const onSubmit = jest
      .fn<Promise<void>, [Selections]>()
      .mockRejectedValueOnce(new ApiError(0, 'network', 'network error'))
      .mockResolvedValueOnce(undefined);
    const { user } = setup(onSubmit);
    await user.click(screen.getByRole('button', { name: /review my ballot/i }));
    await user.click(screen.getByLabelText(/submit it anyway/i));
    await user.click(screen.getByRole('button', { name: /submit my ballot/i }));
    expect(await screen.findByText(/will not be counted twice/i)).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: /submit my ballot/i }));
    expect(onSubmit).toHaveBeenCalledTimes(2);
  });
});

describe('toggleCandidate', () => {
  const [chair, council] = electionFixture().positions;
  it('replaces the choice when N = 1 and refuses extras at the limit', () => {
    if (!chair || !council) throw new Error('fixture');
    expect(toggleCandidate({ 'p-chair': ['c-ada'] }, chair, 'c-alan')).toEqual({
      'p-chair': ['c-alan'],
    });
    const full = { 'p-council': ['c-grace', 'c-edsger'] };
    expect(toggleCandidate(full, council, 'c-barbara')).toBe(full);
    expect(toggleCandidate(full, council, 'c-grace')).toEqual({ 'p-council': ['c-edsger'] });
  });
});

describe('a ballot in progress', () => {
  it('comes back after a remount (a reload), on the step it was on, and abstains where offered', async () => {
    const user = userEvent.setup();
    const election = electionFixture();
    const first = render(<Ballot election={election} onSubmit={() => Promise.resolve()} />);
    await user.click(screen.getByRole('radio', { name: /Alan Turing/ }));
    await user.click(screen.getByRole('checkbox', { name: /Abstain/ }));
    await user.click(screen.getByRole('button', { name: 'Review my ballot' }));
    first.unmount();
    render(<Ballot election={election} onSubmit={() => Promise.resolve()} />);
    expect(screen.getByRole('heading', { name: 'Review your ballot' })).toBeInTheDocument();
    expect(screen.getByText('Alan Turing')).toBeInTheDocument();
    expect(screen.getByText('Abstained')).toBeInTheDocument();
  });
});
