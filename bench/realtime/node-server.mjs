// The comparison server: Node socket.io 4 serving the same clients the same
// way Souk does (websocket transport, every client in one room), with the
// same trigger (POST /trigger on the control port broadcasts one event).
// Usage: node node-server.mjs <socket-port> <control-port>
import { createServer } from "node:http";
import { Server } from "socket.io";

const [socketPort, controlPort] = process.argv.slice(2).map(Number);
const httpServer = createServer();
const io = new Server(httpServer, { transports: ["websocket"], serveClient: false });
io.on("connection", (socket) => socket.join("all"));
httpServer.listen(socketPort, "127.0.0.1");

let round = 0;
createServer((req, res) => {
  if (req.method === "POST" && req.url === "/trigger") {
    round += 1;
    io.to("all").emit("bench", { n: round });
    res.writeHead(204).end();
  } else {
    res.writeHead(404).end();
  }
}).listen(controlPort, "127.0.0.1", () => console.log("ready"));
