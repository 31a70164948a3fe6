export interface Config {
  auth?: {
    providers?: {
      /**
       * Development only: the demo app's platform-admin sign-in
       * (src/modules/demoAdminSignIn.ts).
       */
      'demo-admin'?: {
        /** The catalog user it signs in as, e.g. user:default/carol. */
        userEntityRef: string;
      };
    };
  };
}
