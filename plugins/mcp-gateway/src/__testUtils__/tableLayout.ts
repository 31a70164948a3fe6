import { screen } from '@testing-library/react';

/**
 * How wide a table is on the admin page in a 1400 px window: less
 * Backstage's sidebar (224 px), the page's padding and a scrollbar.
 */
export const TABLE_WIDTH_AT_1400 = 1120;

/**
 * How much a cell needs for one line of text at Backstage UI's body size
 * (14 px, measured in Chromium), with the cell's padding (12 px a side).
 */
export const CELL_NEEDS = {
  /** An agent id of 20 characters, e.g. `dependency-inspector`. */
  agentId: 180,
  /** `admin: POST agents/disable`. */
  adminMethod: 221,
  /** `group:default/platform`, the longest principal of the fixtures. */
  principal: 183,
};

/**
 * Lays tables out as if their container were `width` px wide (jsdom has
 * no layout: react-aria sizes the columns from the container's
 * clientWidth). Returns the restore function.
 */
export function layTablesOutAt(width: number): () => void {
  const spy = jest
    .spyOn(Element.prototype, 'clientWidth', 'get')
    .mockReturnValue(width);
  return () => spy.mockRestore();
}

/** Each column header's laid-out width (px), by its label. */
export function columnWidths(): Record<string, number> {
  return Object.fromEntries(
    screen
      .getAllByRole('columnheader')
      .map(header => [
        header.textContent ?? '',
        parseFloat(header.style.width),
      ]),
  );
}
