// The HTTP floor's stand-in for a server node: node:http answering every request with a 201 and
// a receipt-sized JSON body after reading the request, and nothing else (no Express, no auth, no
// Redis, no database). bench/ballots.ts --own-stack runs three behind the stack's own nginx to
// show what HTTP alone costs on this machine.
import { Buffer } from 'node:buffer';
import http from 'node:http';

const port = Number(process.argv[2]);
const body = JSON.stringify({ receipt: 'FLOOR-0000-0000' });
http
  .createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(201, {
        'content-type': 'application/json; charset=utf-8',
        'content-length': Buffer.byteLength(body),
      });
      res.end(body);
    });
  })
  .listen(port, '127.0.0.1');
