// Types for the CSS modules this package imports (as Backstage's build bundles them).
/// <reference types="@backstage/cli/asset-types" />
