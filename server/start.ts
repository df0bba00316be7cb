import { exitOnStartFailure, runMain } from './main.ts';

// `npm start`'s entry in dist/node: main.ts runs itself only when it is the program, and once
// compiled its code may sit in a chunk shared with `tandem serve`.
runMain().catch(exitOnStartFailure);
