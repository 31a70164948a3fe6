/** The plugin's icon (nav item, page header): agents meeting at one gateway. */
export function McpGatewayIcon() {
  return (
    <svg
      width="1em"
      height="1em"
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth="2"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      <circle cx="12" cy="12" r="3" />
      <circle cx="4" cy="5" r="2" />
      <circle cx="4" cy="19" r="2" />
      <circle cx="20" cy="12" r="2" />
      <path d="M5.5 6.5 9.8 10M5.5 17.5 9.8 14M15 12h3" />
    </svg>
  );
}
