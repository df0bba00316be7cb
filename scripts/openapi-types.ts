import fs from 'node:fs';
import { generatedTypesPath, openApiTypes } from '../test/kit/rest-client/openapi-types.ts';

// Writes the REST client's types from the current OpenAPI document (rest-client.test.ts fails
// until they are regenerated after a change of the API).
fs.writeFileSync(generatedTypesPath, await openApiTypes());
console.log(`wrote ${generatedTypesPath}`);
