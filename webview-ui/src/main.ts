import './main.css';
import './dashboard-app';
import { HostConnection, type VsCodeApi } from './host-connection';

declare function acquireVsCodeApi(): VsCodeApi;

// acquireVsCodeApi may be called once per page load; the connection owns the result.
const connection = new HostConnection(acquireVsCodeApi(), window);
const app = document.createElement('dashboard-app');
app.connection = connection;
(document.getElementById('app') ?? document.body).append(app);
connection.send({ type: 'ready' });
