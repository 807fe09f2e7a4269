// The azure suite's independent client, on Microsoft's @azure/storage-blob (Shared Key):
//   node az_tool.js mkcontainer NAME
//   node az_tool.js rmcontainer NAME
//   node az_tool.js list NAME PREFIX [uncommitted]   blob names, one a line ("uncommitted": only
//                                                    blobs that have staged blocks and no content,
//                                                    or volback's placeholders)
//   node az_tool.js props NAME BLOB                  lastModified (RFC 1123) TAB accessTier TAB contentType
//   node az_tool.js sas NAME                         a read SAS query string for the container (1 h)
// Environment: AZURITE_URL (http://127.0.0.1:18100/devstoreaccount1).
const { BlobServiceClient, StorageSharedKeyCredential, generateBlobSASQueryParameters, ContainerSASPermissions } =
  require('@azure/storage-blob');
const account = 'devstoreaccount1';
const key = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';
const credential = new StorageSharedKeyCredential(account, key);
const service = new BlobServiceClient(process.env.AZURITE_URL, credential);
const [command, name, arg, flag] = process.argv.slice(2);
const container = service.getContainerClient(name);
(async () => {
  if (command === 'mkcontainer') {
    await container.createIfNotExists();
  } else if (command === 'rmcontainer') {
    await container.deleteIfExists();
  } else if (command === 'list') {
    const committed = new Set();
    for await (const b of container.listBlobsFlat({ prefix: arg || undefined, includeMetadata: true })) {
      if (!(b.metadata && b.metadata.volbackpartial === '1')) committed.add(b.name);
    }
    if (flag === 'uncommitted') {
      for await (const b of container.listBlobsFlat({ prefix: arg || undefined, includeUncommitedBlobs: true })) {
        if (!committed.has(b.name)) console.log(b.name);
      }
    } else {
      for (const n of [...committed].sort()) console.log(n);
    }
  } else if (command === 'props') {
    const p = await container.getBlobClient(arg).getProperties();
    console.log(`${p.lastModified.toUTCString()}\t${p.accessTier}\t${p.contentType}`);
  } else if (command === 'sas') {
    const sas = generateBlobSASQueryParameters({
      containerName: name, permissions: ContainerSASPermissions.parse('rl'),
      expiresOn: new Date(Date.now() + 3600e3),
    }, credential).toString();
    console.log(sas);
  } else {
    throw new Error(`unknown command ${command}`);
  }
})().catch((e) => { console.error(e.message); process.exit(1); });
