import '@testing-library/jest-dom';
import { recordComplaint, takeComplaints } from './__testUtils__/consoleGuard';

// A test that makes React, react-aria or recharts complain (an act()
// warning, a missing label, a chart without a size) fails: the pages must
// render without console errors or warnings.
let spies: jest.SpyInstance[] = [];

beforeEach(() => {
  spies = (['error', 'warn'] as const).map(level =>
    jest
      .spyOn(console, level)
      .mockImplementation((...args: unknown[]) => recordComplaint(level, args)),
  );
});

afterEach(() => {
  spies.forEach(spy => spy.mockRestore());
  const complaints = takeComplaints();
  if (complaints.length > 0) {
    throw new Error(
      `The test wrote to the console:\n\n${complaints.join('\n\n')}`,
    );
  }
});
