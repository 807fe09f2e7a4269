// The libxml2 functions that Debian's static libarchive needs for its xar writer, which
// volback never selects (it writes pax and ustar only). Linked only with
// VOLBACK_STATIC_LIBARCHIVE (cmake/Dependencies.cmake), so that the container image
// carries neither libxml2 nor ICU. Every stub fails: should one ever be reached, the xar
// writer reports an error instead of writing. The parameter types are libxml2's in
// spirit; only the names matter for linking, and C functions carry no types in them.

// NOLINTBEGIN
extern "C" {
void* xmlBufferCreate() {
  return nullptr;
}
void xmlBufferFree(void*) {}
void* xmlNewTextWriterMemory(void*, int) {
  return nullptr;
}
void xmlFreeTextWriter(void*) {}
int xmlTextWriterEndDocument(void*) {
  return -1;
}
int xmlTextWriterEndElement(void*) {
  return -1;
}
int xmlTextWriterSetIndent(void*, int) {
  return -1;
}
int xmlTextWriterStartDocument(void*, const char*, const char*, const char*) {
  return -1;
}
int xmlTextWriterStartElement(void*, const unsigned char*) {
  return -1;
}
int xmlTextWriterWriteAttribute(void*, const unsigned char*, const unsigned char*) {
  return -1;
}
int xmlTextWriterWriteBase64(void*, const char*, int, int) {
  return -1;
}
int xmlTextWriterWriteFormatAttribute(void*, const unsigned char*, const char*, ...) {
  return -1;
}
int xmlTextWriterWriteString(void*, const unsigned char*) {
  return -1;
}
int UTF8Toisolat1(unsigned char*, int*, const unsigned char*, int*) {
  return -1;
}
}
// NOLINTEND
