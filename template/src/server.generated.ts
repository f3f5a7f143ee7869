import { createApp } from './app';
import { HEALTH_PATH } from './constants.generated';

// Runs the service's app locally (`npx projen dev`), as API Gateway would reach it in the cloud.
const port = Number(process.env.PORT ?? 3000);
createApp().listen(port, () => {
  console.log(`Listening on http://localhost:${port} (try ${HEALTH_PATH})`);
});
